public import Foundation
import LoaStore
import PostgresNIO

extension PostgresStore {
    public func acquireLease(job: String, holder: String, for duration: TimeInterval, at now: Date) async throws -> Bool {
        // One statement: the row's lock makes two controllers asking together take turns.
        let row = try await client.rows(
            """
            INSERT INTO job_lease AS l (site, job, holder, expires_at) VALUES (\(site), \(job), \(holder), \(now.addingTimeInterval(duration)))
            ON CONFLICT (site, job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at <= \(now)
            RETURNING holder
            """, logger
        ).first
        return try row?.value("holder", as: String.self) == holder
    }

    public func releaseLease(job: String, holder: String) async throws {
        try await client.run("DELETE FROM job_lease WHERE site = \(site) AND job = \(job) AND holder = \(holder)", logger)
    }
}
