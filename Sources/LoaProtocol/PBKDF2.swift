import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// PBKDF2 (RFC 8018) with HMAC-SHA-512: mosquitto's password hashes and the
/// console users' passwords, computed by swift-crypto's BoringSSL backend.
public enum PBKDF2 {
    /// Derives `length` bytes from `password` and `salt` with `iterations` rounds.
    ///
    /// The rounds are the caller's to choose (mosquitto's format uses 101); console
    /// passwords use `ConsolePassword`'s count.
    public static func sha512(password: Data, salt: Data, iterations: Int, length: Int) -> Data {
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha512, outputByteCount: length, unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Data($0) }
        } catch {
            // BoringSSL refuses only impossible parameters (no rounds, no output).
            preconditionFailure("PBKDF2 with \(iterations) rounds and \(length) bytes cannot be derived: \(error)")
        }
    }
}

/// Comparisons that do not stop at the first difference, so that timing tells
/// nothing of a secret (tokens, password hashes, CSRF tokens).
public enum ConstantTime {
    /// True when both byte sequences are equal; runs over the whole of them either way
    /// (only a difference in length returns early, and lengths are not secret here).
    public static func equal(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        let a = Array(lhs), b = Array(rhs)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// True when both strings have the same UTF-8 bytes.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool { equal(lhs.utf8, rhs.utf8) }
}
