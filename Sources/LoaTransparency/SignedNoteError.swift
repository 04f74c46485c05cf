/// Why a signed note is refused.
public enum SignedNoteError: Error, Equatable, CustomStringConvertible {
    /// The note's text does not end with a newline.
    case notEndingInNewline
    /// A body to sign does not end with a newline.
    case bodyNotEndingInNewline
    /// There is no blank line separating the body from the signatures.
    case noSignatureBlock
    /// The blank line is followed by no signature line.
    case noSignatures
    /// The text holds a control character other than newline (U+000A).
    case controlCharacter(code: UInt32)
    /// Signature line `number` (1-based) is not `— name base64`.
    case malformedSignatureLine(number: Int, String)
    /// A key name is empty or holds a space or `+`.
    case invalidKeyName(String)
    /// No signature is by a known key; the names found.
    case unknownKey(names: [String])
    /// A known key's name signed with another key id (another key of the same name).
    case wrongKeyID(name: String, found: String, expected: String)
    /// A known key's signature does not verify: the body or the signature was altered.
    case badSignature(name: String)

    /// A sentence naming what is wrong.
    public var description: String {
        switch self {
        case .notEndingInNewline: "the note does not end with a newline"
        case .bodyNotEndingInNewline: "the body to sign does not end with a newline"
        case .noSignatureBlock: "no blank line separates the body from the signatures"
        case .noSignatures: "the note has no signature line"
        case .controlCharacter(let code): "the note contains the control character U+\(String(code, radix: 16, uppercase: true))"
        case .malformedSignatureLine(let number, let line): "signature line \(number) is not '— name base64': \(line)"
        case .invalidKeyName(let name): "'\(name)' is not a valid key name (empty, or contains a space or '+')"
        case .unknownKey(let names): "signed only by unknown keys: \(names.joined(separator: ", "))"
        case .wrongKeyID(let name, let found, let expected):
            "signed by a key named '\(name)' with key id \(found), but the known key '\(name)' has key id \(expected)"
        case .badSignature(let name): "the signature of '\(name)' does not verify: the note was altered"
        }
    }
}
