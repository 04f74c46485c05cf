#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes each message as one JSON object on one line
/// (`--log-format json`), for log collectors (journald, Loki, Elasticsearch):
///
/// ```json
/// {"time":"2026-11-24T09:30:00.125Z","level":"info","label":"loa.controller","message":"announcement stored","metadata":{"id":"…"},"source":"LoaController","file":"…","line":104}
/// ```
///
/// Keys come in that order, metadata keys sorted; text is UTF-8 and escaped as
/// JSON requires, so a message with a line break stays on its line.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: JSONLogOutput

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - output: where the lines go; standard error by default.
    public init(label: String, output: JSONLogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        var line = "{\"time\":" + JSONText.string(JSONText.timestamp(Date()))
        line += ",\"level\":" + JSONText.string(event.level.rawValue)
        line += ",\"label\":" + JSONText.string(label)
        line += ",\"message\":" + JSONText.string(event.message.description)
        if !merged.isEmpty { line += ",\"metadata\":" + JSONText.value(.dictionary(merged)) }
        line += ",\"source\":" + JSONText.string(event.source)
        line += ",\"file\":" + JSONText.string(event.file)
        line += ",\"line\":\(event.line)}"
        output.write(line)
    }
}

/// Where `JSONLogHandler` writes its lines, one whole line at a time.
public struct JSONLogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// Lines given to `writeLine` (without their line feed).
    public init(_ writeLine: @escaping @Sendable (String) -> Void) { self.writeLine = writeLine }

    func write(_ line: String) { writeLine(line) }

    /// Standard error, a line per write under a lock so lines of several threads never mix.
    public static let standardError = JSONLogOutput { line in
        outputLock.withLock { _ in writeWhole(line + "\n", to: STDERR_FILENO) }
    }

    /// Standard output, likewise.
    public static let standardOutput = JSONLogOutput { line in
        outputLock.withLock { _ in writeWhole(line + "\n", to: STDOUT_FILENO) }
    }
}

private let outputLock = Mutex(())

/// Writes all of `text` to `descriptor`, going on after a partial write or an interrupted
/// one; a line that cannot be written (a closed descriptor) is dropped, never fatal.
private func writeWhole(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// JSON text: strings escaped per RFC 8259, metadata as objects and arrays.
enum JSONText {
    static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): string(text)
        case .stringConvertible(let convertible): string(convertible.description)
        case .array(let values): "[" + values.map(Self.value).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.sorted { $0.key < $1.key }.map { string($0.key) + ":" + Self.value($0.value) }
                .joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string: Foundation's encoder escapes quotes, backslashes and control characters.
    static func string(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
