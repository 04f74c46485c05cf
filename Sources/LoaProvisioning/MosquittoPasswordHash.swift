import Crypto
public import Foundation
import LoaProtocol

/// One password hash in the format of mosquitto 2.0's `mosquitto_passwd`:
/// `$7$<iterations>$<base64 salt>$<base64 hash>`, PBKDF2-HMAC-SHA512 with a
/// 12-byte random salt, 101 iterations and a 64-byte result (what
/// `mosquitto_passwd -b` writes; `$6$` is the older single SHA-512, read only).
public struct MosquittoPasswordHash: Sendable, Equatable, CustomStringConvertible {
    /// The scheme: 7 = PBKDF2-SHA512, 6 = salted SHA-512 (mosquitto 1.x).
    public let scheme: Int
    /// PBKDF2 rounds (scheme 7).
    public let iterations: Int
    /// The random salt.
    public let salt: Data
    /// The derived hash.
    public let hash: Data

    /// mosquitto_passwd's iteration count.
    public static let defaultIterations = 101
    /// mosquitto_passwd's salt length in bytes.
    public static let saltLength = 12

    /// Hashes `password` with a fresh random salt, as `mosquitto_passwd` does.
    public init(password: String, iterations: Int = Self.defaultIterations, salt: Data? = nil) {
        let salt = salt ?? Data(SymmetricKey(size: .init(bitCount: Self.saltLength * 8)).withUnsafeBytes { Array($0) })
        self.scheme = 7
        self.iterations = iterations
        self.salt = salt
        self.hash = PBKDF2.sha512(password: Data(password.utf8), salt: salt, iterations: iterations, length: 64)
    }

    /// Parses the text after `username:` in a password file.
    /// - Throws: `ProvisioningError.badPasswordHash` for anything else.
    public init(text: String) throws {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        switch parts.count {
        case 5 where parts[0].isEmpty && parts[1] == "7":
            guard let iterations = Int(parts[2]), iterations > 0,
                  let salt = Data(base64Encoded: String(parts[3])), let hash = Data(base64Encoded: String(parts[4]))
            else { throw ProvisioningError.badPasswordHash(text) }
            self.scheme = 7
            self.iterations = iterations
            self.salt = salt
            self.hash = hash
        case 4 where parts[0].isEmpty && parts[1] == "6":
            guard let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3]))
            else { throw ProvisioningError.badPasswordHash(text) }
            self.scheme = 6
            self.iterations = 1
            self.salt = salt
            self.hash = hash
        default:
            throw ProvisioningError.badPasswordHash(text)
        }
    }

    /// The text form written after `username:`.
    public var description: String {
        scheme == 7
            ? "$7$\(iterations)$\(salt.base64EncodedString())$\(hash.base64EncodedString())"
            : "$6$\(salt.base64EncodedString())$\(hash.base64EncodedString())"
    }

    /// True when `password` produces this hash (compared in constant time).
    public func matches(_ password: String) -> Bool {
        let candidate: Data
        if scheme == 7 {
            candidate = PBKDF2.sha512(password: Data(password.utf8), salt: salt, iterations: iterations, length: hash.count)
        } else {
            candidate = Data(SHA512.hash(data: Data(password.utf8) + salt))
        }
        return ConstantTime.equal(candidate, hash)
    }
}
