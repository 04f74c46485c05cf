import ArgumentParser
import Foundation
import LoaProtocol

/// `loa log`: the playback log and its verification.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Nhật ký phát và kiểm chứng (the playback log, and proof it was not edited).",
        subcommands: [LogListCommand.self, LogVerifyCommand.self, LogProveCommand.self],
        defaultSubcommand: LogListCommand.self)
}

/// `loa log list` (the default): what the receivers reported, as a table or JSON.
struct LogListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Xem nhật ký phát (what each receiver played, when).")

    @Option(help: "Controller settings file; gives the address and the API token")
    var config: String?
    @Option(help: "Controller address (instead of --config)")
    var controller: String?
    @Option(help: "API token file (instead of --config)")
    var tokenFile: String?
    @Option(help: "Only this device")
    var device: String?
    @Flag(help: "Print JSON instead of a table")
    var json = false

    func run() async throws {
        let client = try ControllerClient(configPath: config, controllerURL: controller, tokenFile: tokenFile)
        let query = device.map { "?device=\($0)" } ?? ""
        let data = try await client.send("GET", "events" + query)
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let events = try WireCoding.decode([DeviceEvent].self, from: data)
        print(EventTable.render(events))
    }
}

/// Events as a fixed-width table, Vietnamese headings first.
enum EventTable {
    static func render(_ events: [DeviceEvent]) -> String {
        let header = ["Thời điểm (at)", "Thiết bị (device)", "Thôn (hamlet)", "Sự kiện (event)", "Lệch (offset ms)", "Chi tiết (detail)"]
        let rows = events.map { event in
            [
                WireCoding.format(event.at), event.device, event.zone, event.kind.rawValue,
                event.startOffsetMs.map { String(format: "%+.1f", $0) } ?? "",
                event.reason ?? event.playedMs.map { "played \($0) ms" } ?? event.item,
            ]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "─", count: $0) })] + rows.map(line))
            .joined(separator: "\n") + "\n\(events.count) sự kiện (events)"
    }
}
