import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaReports
import LoaStore

/// `loa log`: the playback log and its verification.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Nhật ký phát và kiểm chứng (the playback log, and proof it was not edited).",
        subcommands: [LogListCommand.self, LogVerifyCommand.self, LogProveCommand.self, LogConsistencyCommand.self],
        defaultSubcommand: LogListCommand.self)
}

/// `loa log list` (the default): the log's entries, filtered, as a table, CSV or
/// JSON. It reads the entries themselves (what `loa log verify` checks) from the
/// database file, read-only, so it works on a copy as well.
struct LogListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Xem nhật ký phát (what was announced, and what each receiver did, when).")

    @OptionGroup var source: LogSource
    @Option(help: "Only this hamlet (thôn) id")
    var hamlet: String?
    @Option(help: "Only this receiver (device id)")
    var device: String?
    @Option(help: "Only announcements of this category and their events: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
    var category: String?
    @Option(help: "Only this announcement (id) and its events")
    var announcement: String?
    @Option(help: "From this date (2026-11-24, commune time) or instant (RFC 3339)")
    var from: String?
    @Option(help: "Up to this date (inclusive) or instant (exclusive)")
    var to: String?
    @Option(help: "Only these kinds, comma-separated: \(LogQuery.knownKinds.joined(separator: ", "))")
    var kind: String?
    @Option(help: "table, csv or json")
    var format: String = OutputFormat.table.rawValue
    @Flag(help: .hidden)
    var json = false

    func validate() throws {
        guard let format = OutputFormat(rawValue: format), format != .html else {
            throw ValidationError("--format '\(format)' is not one of: table, csv, json")
        }
        if let category, Category(rawValue: category) == nil {
            throw ValidationError("--category '\(category)' is not one of: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for kind in kinds where !LogQuery.knownKinds.contains(kind) {
            throw ValidationError("--kind '\(kind)' is not one of: \(LogQuery.knownKinds.joined(separator: ", "))")
        }
    }

    private var kinds: Set<String> {
        Set((kind ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    func run() async throws {
        let place = try source.resolve()
        let query = LogQuery(
            hamlet: hamlet, device: device, category: category, announcement: announcement,
            from: try place.instant(from, option: "--from"), to: try place.instant(to, option: "--to", endOfDay: true),
            kinds: kinds)
        let entries = try LogAudit.entries(databaseAt: place.database, matching: query)
        let listing = LogListing(rendering: place.rendering)
        switch json ? .json : OutputFormat(rawValue: format) ?? .table {
        case .csv: print(listing.csv(entries), terminator: "")
        case .json: print(try listing.json(entries), terminator: "")
        default: print(listing.table(entries), terminator: "")
        }
    }
}

/// Where the log is read from: a data folder (or a copy of it), or the
/// controller's settings, which name the data folder, the hamlets and the time zone.
struct LogSource: ParsableArguments {
    @Option(help: "The controller's data folder (holds loa.sqlite), or a copy of it")
    var data: String?
    @Option(help: "Controller settings file: its data folder, hamlet names and time zone")
    var config: String?
    @Option(help: "Time zone for dates and times (default: the settings', else Asia/Ho_Chi_Minh)")
    var timeZone: String?

    /// The database file, names and time format to use.
    struct Place {
        var database: String
        var rendering: ReportRendering
        var communeName: String?

        /// Parses a `--from`/`--to` value; nil stays nil.
        func instant(_ text: String?, option: String, endOfDay: Bool = false) throws -> Date? {
            guard let text else { return nil }
            guard let date = rendering.time.parse(text, endOfDay: endOfDay) else {
                throw ValidationError("\(option) '\(text)' is neither a date (2026-11-24) nor an RFC 3339 instant")
            }
            return date
        }
    }

    func resolve() throws -> Place {
        let settings = try config.map(ControllerConfiguration.load(from:))
        guard let folder = data ?? settings?.dataDirectory else {
            throw ValidationError("give --data DIR (the controller's data folder) or --config CONTROLLER.json")
        }
        let database = URL(fileURLWithPath: folder).appendingPathComponent("loa.sqlite").path
        guard FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("\(database) does not exist; --data must be the controller's data folder")
        }
        let zoneName = timeZone ?? settings?.site.timeZone ?? "Asia/Ho_Chi_Minh"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ValidationError("--time-zone '\(zoneName)' is not an IANA time zone")
        }
        let names = Dictionary(uniqueKeysWithValues: (settings?.site.hamlets ?? []).map { ($0.id, $0.name) })
        return Place(
            database: database, rendering: ReportRendering(hamletNames: names, time: ReportTimeFormat(timeZone: zone)),
            communeName: settings?.site.name)
    }
}
