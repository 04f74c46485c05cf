import Foundation
import LoaLogging
import Logging
import Synchronization
import Testing

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

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
