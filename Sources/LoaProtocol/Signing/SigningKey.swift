import Crypto
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaDomain
import LoaFiles

/// An Ed25519 key of the controller, named as in the C2SP signed-note format
/// (https://c2sp.org/signed-note): the key name (e.g. `loa.xa-ha-binh`), its
/// 4-byte key id = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0..<4], and the
/// verifier key text `name+hex(keyid)+base64(0x01 ‖ public key)` that receivers
/// and auditors are given.
public struct SigningKey: Sendable {
    /// The key name; the origin line of log checkpoints and the signer of downward messages.
    public let name: String
    let privateKey: Curve25519.Signing.PrivateKey
    /// The matching public key (derived once: deriving it is a scalar multiplication,
    /// and every signed message names its key id).
    public let verifier: VerifierKey

    /// Wraps an existing private key.
    public init(name: String, rawPrivateKey: Data) throws {
        self.init(name: name, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey))
    }

    /// Makes a new random key.
    public init(name: String) {
        self.init(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    private init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKey = privateKey
        self.verifier = VerifierKey(name: name, publicKey: privateKey.publicKey.rawRepresentation)
    }

    /// Signs `message` (Ed25519).
    public func signature(for message: Data) throws -> Data { try privateKey.signature(for: message) }

    /// Reads the key at `url` (raw 32-byte seed, base64, one line), making it
    /// with file mode 0600 when the file does not exist yet.
    public static func loadOrCreate(name: String, at url: URL) throws -> SigningKey {
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            guard let raw = Data(base64Encoded: text.withoutSurroundingWhitespace) else {
                throw SigningKeyError.unreadable(path: url.path)
            }
            return try SigningKey(name: name, rawPrivateKey: raw)
        }
        let key = SigningKey(name: name)
        let text = key.privateKey.rawRepresentation.base64EncodedString() + "\n"
        do {
            try DurableFile.write(Data(text.utf8), to: url, mode: 0o600, exactMode: true)
        } catch {
            throw SigningKeyError.cannotCreate(path: url.path)
        }
        return key
    }

    /// The private seed, for tests that need to build a second signer with the same key.
    public var rawPrivateKey: Data { privateKey.rawRepresentation }
}

/// A public Ed25519 key with its signed-note name and key id.
public struct VerifierKey: Sendable, Equatable, Hashable {
    public let name: String
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: Data

    /// The 4-byte key id of C2SP signed-note for an Ed25519 key (worked out once: every
    /// signed message names it).
    public let keyID: Data

    public init(name: String, publicKey: Data) {
        self.name = name
        self.publicKey = publicKey
        var material = Data(name.utf8)
        material.append(0x0A)
        material.append(0x01)
        material.append(publicKey)
        keyID = Data(SHA256.hash(data: material).prefix(4))
    }

    /// `name+hex(keyid)+base64(0x01 ‖ key)`, the vkey text form of signed-note.
    public var text: String {
        "\(name)+\(keyID.hexString)+\((Data([0x01]) + publicKey).base64EncodedString())"
    }

    /// Parses the vkey text form, checking that the key id matches the key.
    public init(text: String) throws {
        let parts = text.withoutSurroundingWhitespace.split(separator: "+", maxSplits: 2)
        guard parts.count == 3, let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == 0x01 else {
            throw SigningKeyError.badVerifierKey(text)
        }
        self.init(name: String(parts[0]), publicKey: blob.dropFirst())
        guard keyID.hexString == parts[1] else { throw SigningKeyError.badVerifierKey(text) }
    }

    /// True when `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// A key file or key text that cannot be used.
public enum SigningKeyError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case cannotCreate(path: String)
    case badVerifierKey(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): not a base64 Ed25519 private key"
        case .cannotCreate(let path): "\(path): cannot create the key file"
        case .badVerifierKey(let text): "'\(text)' is not a verifier key of the form name+keyidhex+base64key"
        }
    }
}
