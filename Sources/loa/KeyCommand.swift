import ArgumentParser
import Foundation
import LoaController
import LoaProtocol

/// `loa key`: the controller's signing key.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Khóa ký của máy chủ (the controller's signing key).",
        subcommands: [KeyRotateCommand.self, KeyListCommand.self])
}

/// `loa key rotate`: a new key, announced to the receivers under the current one.
struct KeyRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Đổi khóa ký: khóa mới được báo cho các thiết bị bằng khóa cũ (rotate the key: the new one is announced under the old one).")

    @Option(help: "Controller settings file (gives the address and the admin API token)")
    var config: String?
    @Option(help: "Controller address (instead of --config)")
    var controller: String?
    @Option(help: "File with an admin's API token (instead of --config)")
    var tokenFile: String?
    @Option(help: "Minutes from now when the new key takes over (at least 10)")
    var inMinutes: Int = 60
    @Option(help: "When the new key takes over, RFC 3339 (e.g. 2026-12-01T00:00:00+07:00); instead of --in-minutes")
    var validFrom: String?

    func run() async throws {
        let client = try ControllerClient(configPath: config, controllerURL: controller, tokenFile: tokenFile)
        let instant: Date
        if let validFrom {
            guard let parsed = WireCoding.parse(validFrom) else {
                throw ValidationError("--valid-from: '\(validFrom)' is not an RFC 3339 instant such as 2026-12-01T00:00:00+07:00")
            }
            instant = parsed
        } else {
            instant = Date().addingTimeInterval(TimeInterval(inMinutes) * 60)
        }
        struct Request: Encodable { var validFrom: Date }
        let record = try await client.post("keys/rotation", json: Request(validFrom: instant), as: ControllerKeyRecord.self)
        print("Khóa mới (new key): \(record.key)")
        print("Có hiệu lực từ (takes over at): \(WireCoding.format(instant))")
        print("Đã báo cho các thiết bị, ký bằng khóa hiện hành (announced to the devices, signed by the current key).")
        print("Kiểm toán viên: lấy lịch sử khóa tại GET /log/keys (auditors: fetch the key history at GET /log/keys).")
    }
}

/// `loa key list`: every key that signed, from `GET /log/keys`.
struct KeyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Lịch sử khóa ký (the history of signing keys, from GET /log/keys).")

    @OptionGroup var address: PublicLogAddress

    func run() async throws {
        let records = try WireCoding.decode([ControllerKeyRecord].self, from: try await PublicFetch.get(try address.url("keys")))
        for record in records {
            let from = record.validFrom.map(WireCoding.format) ?? "(khóa đầu tiên / first key)"
            let until = record.retiredAt.map(WireCoding.format) ?? "nay (now)"
            print("\(record.key)\n  từ (from) \(from) đến (until) \(until)\(record.announcement == nil ? "" : ", được báo bằng khóa trước (announced by the key before)")")
        }
    }
}
