import Crypto
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaFiles

/// The per-device token a receiver presents to fetch media:
/// `Authorization: Bearer {device}:{token}` with
/// token = base64url(HMAC-SHA256(media secret, "loa-media/v1\n" ‖ device id)).
///
/// The controller keeps the secret (`media.secret`, mode 0600) and needs no
/// table of tokens; a revoked device is refused by the device registry.
public enum MediaToken {
    /// The token of `device` under `secret`.
    public static func make(secret: Data, device: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("loa-media/v1\n\(device)".utf8), using: SymmetricKey(data: secret))
        return Base64URL.encode(Data(mac))
    }

    /// The device named by an `Authorization` header value, when its token is right.
    public static func device(authorization: String, secret: Data) -> String? {
        guard authorization.hasPrefix("Bearer ") else { return nil }
        let credential = authorization.dropFirst("Bearer ".count)
        guard let colon = credential.firstIndex(of: ":") else { return nil }
        let device = String(credential[..<colon])
        let given = Array(credential[credential.index(after: colon)...].utf8)
        let expected = Array(make(secret: secret, device: device).utf8)
        guard given.count == expected.count, zip(given, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return device
    }

    /// A new random 256-bit secret.
    public static func newSecret() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Reads the secret at `url`, making a new one (mode 0600) when absent.
    public static func loadOrCreateSecret(at url: URL) throws -> Data {
        if let data = try? Data(contentsOf: url), data.count >= 32 { return data }
        let secret = newSecret()
        do {
            try DurableFile.write(secret, to: url, mode: 0o600, exactMode: true)
        } catch {
            throw SigningKeyError.cannotCreate(path: url.path)
        }
        return secret
    }
}
