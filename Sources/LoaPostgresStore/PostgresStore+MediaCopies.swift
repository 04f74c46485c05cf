public import Foundation
public import LoaStore
import PostgresNIO

extension PostgresStore: MediaCopies {
    /// Sends the bytes only when the database does not hold them yet (a province's
    /// emergency is the same audio in every commune).
    public func keepCopy(_ data: Data, sha256: String) async throws {
        if try await client.rows("SELECT 1 AS kept FROM media_copy WHERE sha256 = \(sha256)", logger).first != nil { return }
        try await client.run(
            "INSERT INTO media_copy (sha256, data, created_at) VALUES (\(sha256), \(data), \(Date())) ON CONFLICT DO NOTHING", logger)
    }

    public func withoutCopy(_ sha256s: [String]) async throws -> [String] {
        var kept: Set<String> = []
        for row in try await client.rows("SELECT sha256 FROM media_copy WHERE sha256 = ANY(\(sha256s))", logger) {
            kept.insert(try row.value("sha256"))
        }
        return sha256s.filter { !kept.contains($0) }
    }

    public func copy(sha256: String) async throws -> Data? {
        try await client.rows("SELECT data FROM media_copy WHERE sha256 = \(sha256)", logger).first.map { row in try row.value("data") }
    }
}
