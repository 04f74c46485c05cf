public import Foundation
public import LoaProtocol

/// A C2SP signed note (https://c2sp.org/signed-note): a UTF-8 body ending in a
/// newline, a blank line, and one or more signature lines
///
///     — <key name> <base64(4-byte key id ‖ 64-byte Ed25519 signature)>\n
///
/// where `—` is U+2014 EM DASH and the signature is over the body's bytes,
/// final newline included. The same format as Go's `golang.org/x/mod/sumdb/note`.
public struct SignedNote: Sendable, Equatable {
    /// The signed text; ends with a newline.
    public var body: String
    /// The signature lines, in order.
    public var signatures: [Signature]

    /// One signature line of a note.
    public struct Signature: Sendable, Equatable {
        /// The signer's key name.
        public var name: String
        /// The first 4 bytes of the signature blob: the signer's key id.
        public var keyID: Data
        /// The rest of the blob: for Ed25519 keys, the 64-byte signature.
        public var signature: Data

        /// A signature line's parts.
        public init(name: String, keyID: Data, signature: Data) {
            self.name = name
            self.keyID = keyID
            self.signature = signature
        }

        /// `— name base64(keyID ‖ signature)`, without the newline.
        public var line: String { "\u{2014} \(name) \((keyID + signature).base64EncodedString())" }
    }

    /// A note from its parts.
    public init(body: String, signatures: [Signature]) {
        self.body = body
        self.signatures = signatures
    }

    /// The note's text: body, blank line, one line per signature.
    public var text: String {
        body + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    /// Signs `body` with each key, in order.
    /// - Throws: `SignedNoteError` when the body does not end in a newline,
    ///   contains control characters, or a key name is not a valid note key name;
    ///   or the signer's error.
    public static func sign(body: String, with keys: [SigningKey]) throws -> SignedNote {
        try checkText(body)
        guard body.hasSuffix("\n") else { throw SignedNoteError.bodyNotEndingInNewline }
        let message = Data(body.utf8)
        var signatures: [Signature] = []
        for key in keys {
            guard isValidKeyName(key.name) else { throw SignedNoteError.invalidKeyName(key.name) }
            signatures.append(Signature(name: key.name, keyID: key.verifier.keyID, signature: try key.signature(for: message)))
        }
        return SignedNote(body: body, signatures: signatures)
    }

    /// Parses a note's text without checking any signature.
    /// - Throws: `SignedNoteError` naming what is malformed.
    public init(parsing text: String) throws(SignedNoteError) {
        try Self.checkText(text)
        guard text.hasSuffix("\n") else { throw .notEndingInNewline }
        guard let split = text.range(of: "\n\n", options: .backwards) else { throw .noSignatureBlock }
        let body = String(text[..<split.lowerBound]) + "\n"
        let block = text[split.upperBound...]
        var signatures: [Signature] = []
        for (number, line) in block.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            signatures.append(try Self.parseSignature(String(line), number: number + 1))
        }
        guard !signatures.isEmpty else { throw .noSignatures }
        self.init(body: body, signatures: signatures)
    }

    /// Checks the signatures against `keys` and returns the keys that signed.
    ///
    /// Signatures by keys not in `keys` are skipped, as the signed-note spec
    /// says; at least one known key must have signed, and every signature by a
    /// known key (same name and key id) must be valid.
    /// - Throws: `.badSignature` for a known key's invalid signature;
    ///   `.wrongKeyID` when a known name signed with another key id and no known key signed;
    ///   `.unknownKey` when no signature is by a known key.
    public func verify(with keys: [VerifierKey]) throws(SignedNoteError) -> [VerifierKey] {
        let message = Data(body.utf8)
        var verified: [VerifierKey] = []
        var wrongID: SignedNoteError?
        for signature in signatures {
            if let key = keys.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) {
                guard signature.signature.count == 64, key.isValidSignature(signature.signature, for: message) else {
                    throw .badSignature(name: signature.name)
                }
                if !verified.contains(key) { verified.append(key) }
            } else if wrongID == nil, let key = keys.first(where: { $0.name == signature.name }) {
                wrongID = .wrongKeyID(name: signature.name, found: Self.hex(signature.keyID), expected: Self.hex(key.keyID))
            }
        }
        if verified.isEmpty {
            throw wrongID ?? .unknownKey(names: signatures.map(\.name))
        }
        return verified
    }

    // MARK: - Parsing rules

    /// Key names are non-empty and contain no Unicode spaces or `+` (signed-note spec).
    static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    private static func checkText(_ text: String) throws(SignedNoteError) {
        if let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }) {
            throw .controlCharacter(code: bad.value)
        }
    }

    private static func parseSignature(_ line: String, number: Int) throws(SignedNoteError) -> Signature {
        guard line.hasPrefix("\u{2014} ") else { throw .malformedSignatureLine(number: number, line) }
        let rest = line.dropFirst(2)
        let parts = rest.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, isValidKeyName(String(parts[0])),
              let blob = Data(base64Encoded: String(parts[1])), blob.count > 4,
              blob.base64EncodedString() == parts[1]
        else { throw .malformedSignatureLine(number: number, line) }
        return Signature(name: String(parts[0]), keyID: Data(blob.prefix(4)), signature: Data(blob.dropFirst(4)))
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
}
