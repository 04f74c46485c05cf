import Foundation
import Crypto
import LoaFiles
import LoaProtocol

/// The key that seals a commune's private keys and media secret before they go into
/// the province's database (`store.secretsKeyFile`): 256 random bits, base64 on one
/// line, mode 0600. Every controller of the commune holds the same file; the database
/// never sees it, so a copy of the database alone signs nothing and makes no media token.
///
/// Sealing is AES-256-GCM, bound to the commune (`loa-commune-keys/v1` and its site id
/// are authenticated with it), so one commune's sealed keys cannot be passed off as another's.
public struct SecretsKey: Sendable {
    /// The file it was read from, for errors.
    public let path: String
    private let key: SymmetricKey

    /// Reads the key at `path`, making it (mode 0600) when the file does not exist yet;
    /// of two controllers sharing a folder and starting at once, both end with the one made first.
    /// - Throws: `ConfigurationError` naming the file when it is not 32 bytes in base64.
    public static func loadOrCreate(at path: String) throws -> SecretsKey {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let line = key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n"
            if try DurableFile.create(Data(line.utf8), at: url, mode: 0o600) { return SecretsKey(path: path, key: key) }
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw unreadable(path) }
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32 else {
            throw unreadable(path)
        }
        return SecretsKey(path: path, key: SymmetricKey(data: raw))
    }

    private static func unreadable(_ path: String) -> ConfigurationError {
        ConfigurationError(path: path, problems: [
            "không đọc được khóa niêm phong: cần 32 byte base64 trên một dòng (the secrets key must be 32 bytes in base64 on one line; copy the file from the commune's first controller)"
        ])
    }

    /// `data` sealed for the commune `site`: nonce, ciphertext and tag.
    func seal(_ data: Data, site: String) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: key, authenticating: Self.context(site)).combined else {
            throw ConfigurationError(path: path, problems: ["cannot seal with this key"])
        }
        return combined
    }

    /// What `seal` sealed for `site`.
    /// - Throws: `ConfigurationError` when it was sealed with another key or for another commune.
    func open(_ sealed: Data, site: String) throws -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Self.context(site))
        } catch {
            throw ConfigurationError(path: path, problems: [
                "khóa của xã \(site) trong cơ sở dữ liệu được niêm phong bằng một khóa khác: chép tệp này từ bộ điều khiển đầu tiên của xã sang, mọi bộ điều khiển dùng cùng một tệp "
                    + "(the keys of \(site) in the database were sealed with another secrets key: copy this file from the commune's first controller; every controller uses the same file)"
            ])
        }
    }

    private static func context(_ site: String) -> Data { Data("loa-commune-keys/v1\n\(site)".utf8) }
}
