import Crypto
import Foundation
import LoaProtocol

/// Random broker passwords: 192 bits from the system's secure generator, as
/// 32 characters of unpadded base64url (`A–Z a–z 0–9 - _`), safe in URLs,
/// config files and shell arguments. No default password exists anywhere.
public enum BrokerPassword {
    /// A new random password.
    public static func generate() -> String {
        let bytes = SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }
        return Base64URL.encode(bytes)
    }
}
