import Crypto
import Foundation

/// PBKDF2 (RFC 8018) with HMAC-SHA-512, as mosquitto hashes passwords.
/// swift-crypto's `Crypto` module has no PBKDF2, so it is written out here.
enum PBKDF2 {
    /// Derives `length` bytes from `password` and `salt` with `iterations` rounds.
    static func sha512(password: Data, salt: Data, iterations: Int, length: Int) -> Data {
        let key = SymmetricKey(data: password)
        var output = Data()
        var block: UInt32 = 1
        while output.count < length {
            var message = salt
            withUnsafeBytes(of: block.bigEndian) { message.append(contentsOf: $0) }
            var u = Data(HMAC<SHA512>.authenticationCode(for: message, using: key))
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    u = Data(HMAC<SHA512>.authenticationCode(for: u, using: key))
                    for index in t.indices { t[index] ^= u[index] }
                }
            }
            output.append(t)
            block += 1
        }
        return output.prefix(length)
    }
}
