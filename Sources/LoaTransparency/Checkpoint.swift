public import Foundation
public import LoaProtocol

/// A log checkpoint in the C2SP tlog-checkpoint text form
/// (https://c2sp.org/tlog-checkpoint):
///
///     <origin>\n
///     <tree size, ASCII decimal, no leading zeros>\n
///     <root hash, standard base64 with padding>\n
///     [<extension line>\n]…
///
/// It is published as the body of a `SignedNote` signed by the controller's key.
public struct Checkpoint: Sendable, Equatable, Hashable {
    /// The log's unique name; Loa uses the controller's key name, e.g. `loa.xa-ha-binh`.
    public var origin: String
    /// The number of entries the tree covers.
    public var size: UInt64
    /// The RFC 6962 root of the tree of the first `size` entries (32 bytes).
    public var rootHash: Data
    /// Optional further lines (non-empty, no newline); Loa writes none.
    public var extensions: [String]

    /// A checkpoint from its parts.
    public init(origin: String, size: UInt64, rootHash: Data, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// The checkpoint's text, the body of the signed note.
    public var text: String {
        "\(origin)\n\(size)\n\(rootHash.base64EncodedString())\n" + extensions.map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body.
    /// - Throws: `CheckpointError.malformed` naming the line at fault.
    public init(text: String) throws(CheckpointError) {
        guard text.hasSuffix("\n") else { throw .malformed(line: 0, reason: "the checkpoint does not end with a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { throw .malformed(line: lines.count + 1, reason: "a checkpoint has an origin, a size and a root hash line") }
        guard !lines[0].isEmpty else { throw .malformed(line: 1, reason: "the origin is empty") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              sizeText == "0" || !sizeText.hasPrefix("0"), let size = UInt64(sizeText)
        else { throw .malformed(line: 2, reason: "'\(sizeText)' is not a decimal tree size without leading zeros") }
        guard let root = Data(base64Encoded: lines[2]), root.count == LogHash.size, root.base64EncodedString() == lines[2] else {
            throw .malformed(line: 3, reason: "'\(lines[2])' is not the standard base64 of a 32-byte hash")
        }
        for (offset, line) in lines.dropFirst(3).enumerated() where line.isEmpty {
            throw .malformed(line: offset + 4, reason: "an extension line is empty")
        }
        self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines.dropFirst(3)))
    }

    /// Signs the checkpoint with `key`, returning the signed note's text.
    public func signed(with key: SigningKey) throws -> String {
        try SignedNote.sign(body: text, with: [key]).text
    }

    /// Parses a signed checkpoint note, checks its signature against `keys` and,
    /// when given, that its origin is `origin`.
    /// - Throws: `CheckpointError` naming what is wrong: the note, the signature, the body or the origin.
    public static func open(_ noteText: String, keys: [VerifierKey], origin: String? = nil) throws(CheckpointError) -> Checkpoint {
        let note: SignedNote
        do { note = try SignedNote(parsing: noteText) } catch { throw .note(error) }
        do { _ = try note.verify(with: keys) } catch { throw .note(error) }
        let checkpoint = try Checkpoint(text: note.body)
        if let origin, checkpoint.origin != origin { throw .originMismatch(expected: origin, found: checkpoint.origin) }
        return checkpoint
    }
}

/// Why a checkpoint is refused.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The signed note is malformed or its signature is refused.
    case note(SignedNoteError)
    /// The body is not a checkpoint; `line` is 1-based (0: the whole text).
    case malformed(line: Int, reason: String)
    /// The checkpoint belongs to another log.
    case originMismatch(expected: String, found: String)

    /// A sentence naming what is wrong.
    public var description: String {
        switch self {
        case .note(let error): "checkpoint note: \(error)"
        case .malformed(let line, let reason): "checkpoint line \(line): \(reason)"
        case .originMismatch(let expected, let found): "checkpoint of log '\(found)', expected '\(expected)'"
        }
    }
}
