import Foundation
import LoaController
import LoaLogging
import LoaProtocol
import LoaHarness
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--log-format json`: the handler writes one JSON object per line that a log
/// collector can parse, whatever the message holds.
@Suite("Structured logs: one JSON object per line")
struct APILogFormatTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var output: JSONLogOutput { JSONLogOutput { line in self.lines.withLock { $0.append(line) } } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test("level, label, message, metadata (nested, merged) and source survive as JSON, text escaped, one line each")
    func jsonLines() throws {
        let lines = Lines()
        var logger = Logger(label: "loa.controller") { label in JSONLogHandler(label: label, output: lines.output) }
        logger[metadataKey: "site"] = "xa-thu-nghiem"
        logger.info(
            "thông báo \"đã lưu\"\nxong", metadata: ["hamlets": ["thon-a", "thon-b"], "detail": ["id": "a1", "n": "\(3)"]])
        logger.debug("not written below the level")
        logger.logLevel = .debug
        logger.debug("tab\there \u{1}")

        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { !$0.contains("\n") })
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info" && first["label"] as? String == "loa.controller")
        #expect(first["message"] as? String == "thông báo \"đã lưu\"\nxong")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["site"] as? String == "xa-thu-nghiem")
        #expect(metadata["hamlets"] as? [String] == ["thon-a", "thon-b"])
        #expect((metadata["detail"] as? [String: String]) == ["id": "a1", "n": "3"])
        #expect((first["time"] as? String).flatMap { ISO8601DateFormatter.withFractionalSeconds.date(from: $0) } != nil)
        #expect(first["line"] as? Int != nil && first["source"] as? String != nil)
        #expect(lines.all[0].hasPrefix("{\"time\":"))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "tab\there \u{1}")
        #expect((second["metadata"] as? [String: String]) == ["site": "xa-thu-nghiem"], "the logger's metadata only")
    }
}

/// `loa controller` and `loa receiver` run as processes with `--log-format json`:
/// everything they write, their own lines and the libraries' (Hummingbird, the
/// service group), is one JSON object per line.
@Suite("Structured logs of the loa executable", .serialized)
struct LogFormatCommandTests {
    /// Runs `loa ARGUMENTS` until its output holds `marker`, stops it with SIGTERM and returns its lines.
    func run(_ arguments: [String], until marker: String, in directory: TemporaryDirectory) async throws -> [String] {
        let log = directory.path("\(arguments[0]).log").path
        let pid = try ChildProcess.spawn(loaExecutable(), arguments + ["--log-format", "json"], log: log)
        defer { ChildProcess.stop(pid) }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains(marker) { break }
            if ChildProcess.exitStatus(pid) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        ChildProcess.stop(pid)
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func objects(_ lines: [String]) throws -> [[String: Any]] {
        try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object, "not a JSON object: \(line)")
        }
    }

    @Test("loa controller --log-format json: its start line and the server's are JSON objects")
    func controller() async throws {
        let broker = try MosquittoBroker()
        let directory = try TemporaryDirectory(prefix: "loa-json-log")
        let configuration = ControllerConfiguration(
            site: Commune.testSite, broker: .init(host: "127.0.0.1", port: broker.port),
            http: .init(host: "127.0.0.1", port: try MosquittoBroker.freePort()),
            dataDirectory: directory.path("data").path, allowAnonymousBroker: true)
        let file = directory.path("controller.json")
        try JSONEncoder().encode(configuration).write(to: file)
        let lines = try await run(["controller", "--config", file.path], until: "loa controller: site", in: directory)
        let objects = try objects(lines)
        let start = try #require(objects.first { ($0["message"] as? String)?.hasPrefix("loa controller: site xa-thu-nghiem") == true })
        #expect(start["level"] as? String == "info" && start["label"] as? String == "loa.controller")
        #expect(objects.count > 1, "the libraries' lines are JSON too: \(lines)")
    }

    @Test("loa receiver --log-format json: its start lines are JSON objects")
    func receiver() async throws {
        let commune = try await Commune()
        let file = commune.directory.path("receiver.json")
        try JSONEncoder().encode(try commune.receiverConfiguration("loa-a1", hamlet: "thon-a")).write(to: file)
        let lines = try await run(["receiver", "--config", file.path], until: "speaker:", in: commune.directory)
        let messages = try objects(lines).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.hasPrefix("loa receiver loa-a1: hamlet thon-a") }, "\(lines)")
        await commune.stop()
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
