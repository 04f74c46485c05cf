public import Foundation
import LoaProtocol

/// A console user's password as the store keeps it: PBKDF2-HMAC-SHA512 with a
/// random 16-byte salt, written as `pbkdf2-sha512$<iterations>$<base64 salt>$<base64 hash>`
/// so that the iteration count can rise later and old hashes still verify.
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    /// PBKDF2 rounds.
    public let iterations: Int
    /// The random salt.
    public let salt: Data
    /// The derived 64 bytes.
    public let hash: Data

    /// The algorithm's name in the stored text.
    public static let algorithm = "pbkdf2-sha512"
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA512.
    public static let defaultIterations = 210_000
    /// Salt length in bytes.
    public static let saltLength = 16

    /// Hashes `password` (its UTF-8 bytes, Unicode NFC) with a fresh random salt unless one is given.
    public init(password: String, iterations: Int = Self.defaultIterations, salt: Data? = nil) {
        var generator = SystemRandomNumberGenerator()
        let salt = salt ?? Data((0..<Self.saltLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
        self.iterations = iterations
        self.salt = salt
        self.hash = Self.derive(password, salt: salt, iterations: iterations, length: 64)
    }

    /// Parses the stored text.
    /// - Throws: `ConsoleUserError.badPasswordHash` for anything not in the format above.
    public init(text: String) throws {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.algorithm, let iterations = Int(parts[1]), iterations > 0,
              let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])), !hash.isEmpty
        else { throw ConsoleUserError.badPasswordHash }
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// The stored text.
    public var description: String {
        "\(Self.algorithm)$\(iterations)$\(salt.base64EncodedString())$\(hash.base64EncodedString())"
    }

    /// True when `password` produces this hash; the hashes are compared in constant time.
    public func matches(_ password: String) -> Bool {
        ConstantTime.equal(Self.derive(password, salt: salt, iterations: iterations, length: hash.count), hash)
    }

    /// A hash no password matches, checked against when the name is unknown so
    /// that a wrong name takes as long as a wrong password.
    public static let decoy = PasswordHash(password: ConsoleToken.generate())

    private static func derive(_ password: String, salt: Data, iterations: Int, length: Int) -> Data {
        PBKDF2.sha512(
            password: Data(password.precomposedStringWithCanonicalMapping.utf8), salt: salt, iterations: iterations, length: length)
    }
}

/// The rules a new password must meet.
public enum PasswordPolicy {
    /// Fewest characters (OWASP and NIST SP 800-63B ask for at least 8; a console that can sound every loudspeaker asks for more).
    public static let minimumLength = 12

    /// Nil when `password` may be used by `name`; otherwise what is wrong with it, Vietnamese first.
    public static func problem(with password: String, name: String) -> String? {
        if password.count < minimumLength {
            return "Mật khẩu phải có ít nhất \(minimumLength) ký tự (the password needs at least \(minimumLength) characters; it has \(password.count))"
        }
        if password.lowercased() == name.lowercased() {
            return "Mật khẩu không được trùng tên đăng nhập (the password must not be the user name)"
        }
        return nil
    }
}
