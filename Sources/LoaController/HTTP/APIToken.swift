public import Foundation
import LoaProtocol
import LoaFiles

/// The bearer token that guards the controller's API until console users and
/// roles exist. Made at first start (random, 256 bits), kept in the data folder
/// with mode 0600; there is no default.
public enum APIToken {
    /// The token file inside `dataDirectory`.
    public static func file(in dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("api-token")
    }

    /// Reads the token, making it first if the file does not exist.
    public static func loadOrCreate(in dataDirectory: String) throws -> String {
        let url = file(in: dataDirectory)
        if let existing = try? String(contentsOf: url, encoding: .utf8) {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try DurableFile.write(Data((token + "\n").utf8), to: url, mode: 0o600, exactMode: true)
        return token
    }

    /// Reads an existing token.
    /// - Throws: when the file is missing, with a hint to start the controller first.
    public static func load(from url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ConfigurationError(
                path: url.path, problems: ["cannot be read; start the controller once (it makes the token) or pass --token-file"])
        }
    }
}
