public import Foundation
import LoaStore
import PostgresNIO

extension PostgresStore {
    public func acquireLease(job: String, holder: String, for duration: TimeInterval, at now: Date) async throws -> Bool {
        // Asked with the other communes' requests of this process, in one statement.
        try await database.leaseRequests.acquire(
            .init(site: site, job: job, holder: holder, expiresAt: now.addingTimeInterval(duration), now: now))
    }

    public func releaseLease(job: String, holder: String) async throws {
        try await client.run("DELETE FROM job_lease WHERE site = \(site) AND job = \(job) AND holder = \(holder)", logger)
    }
}
