import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The lease requests of every commune a controller process serves on one database,
/// asked together. A province's 200 communes each have five periodic jobs whose
/// leases are asked for every few seconds (`LeasedJob`): one statement per request
/// made leases the busiest thing the database did at rest.
///
/// Requests that arrive within ``gathering`` of the first, or while a statement is
/// under way, go into one statement; `LeasedJob` asks on the same grid of the clock in
/// every commune, so a turn of all of them costs one or two statements. A statement
/// locks its rows in (site, job) order, so two controllers asking for the same leases
/// at once take turns row by row instead of deadlocking.
final class LeaseRequests: Sendable {
    /// How long the first request of a statement waits for others.
    static let gathering: Duration = .milliseconds(20)
    /// Most requests in one statement.
    static let largestStatement = 2000

    struct Request: Sendable {
        var site: String
        var job: String
        var holder: String
        var expiresAt: Date
        /// The requester's clock: a lease that ran out by then may be taken over.
        var now: Date
    }

    private struct Waiting {
        var request: Request
        var answer: CheckedContinuation<Bool, any Error>
    }

    private let client: PostgresClient
    private let logger: Logger
    /// Requests not asked yet, and whether a task is asking (it asks until none is left).
    private let state = Mutex<(waiting: [Waiting], asking: Bool)>(([], false))

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// True when `request.holder` holds the lease until `request.expiresAt`: it held it
    /// already, or nobody did, or its holder's had run out by `request.now`.
    func acquire(_ request: Request) async throws -> Bool {
        try await withCheckedThrowingContinuation { (answer: CheckedContinuation<Bool, any Error>) in
            let startAsking = state.withLock { state in
                state.waiting.append(Waiting(request: request, answer: answer))
                defer { state.asking = true }
                return !state.asking
            }
            // Unstructured: the statement answers every request in it, whichever requester is cancelled.
            if startAsking { Task { await askUntilNoneWaits() } }
        }
    }

    private func askUntilNoneWaits() async {
        try? await Task.sleep(for: Self.gathering)
        while true {
            let batch = state.withLock { state in
                let batch = Self.nextStatement(taking: &state.waiting)
                if batch.isEmpty { state.asking = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let held = try await ask(batch.map(\.request))
                for waiting in batch {
                    waiting.answer.resume(returning: held.contains(Self.key(waiting.request) + "\u{0}" + waiting.request.holder))
                }
            } catch {
                for waiting in batch { waiting.answer.resume(throwing: error) }
            }
        }
    }

    /// The requests of the next statement, taken out of `waiting`: one per (site, job)
    /// (a row is changed once per statement; a second request waits for the next), in
    /// arrival order, at most ``largestStatement``.
    private static func nextStatement(taking waiting: inout [Waiting]) -> [Waiting] {
        var keys = Set<String>()
        var batch: [Waiting] = [], later: [Waiting] = []
        for request in waiting {
            if batch.count < largestStatement, keys.insert(key(request.request)).inserted {
                batch.append(request)
            } else {
                later.append(request)
            }
        }
        waiting = later
        return batch
    }

    private static func key(_ request: Request) -> String { request.site + "\u{0}" + request.job }

    /// One statement for `requests`; the site, job and holder of each lease it now holds.
    /// A lease runs out for all of them by the earliest requester's clock, so none is
    /// taken over before its holder's time is up on every clock of the statement.
    private func ask(_ requests: [Request]) async throws -> Set<String> {
        let earliest = requests.map(\.now).min() ?? Date()
        let rows = try await client.query(
            """
            INSERT INTO job_lease AS l (site, job, holder, expires_at)
            SELECT * FROM unnest(\(requests.map(\.site)), \(requests.map(\.job)), \(requests.map(\.holder)), \(requests.map(\.expiresAt)))
                AS r (site, job, holder, expires_at)
            ORDER BY 1, 2
            ON CONFLICT (site, job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at <= \(earliest)
            RETURNING site, job, holder
            """, logger: logger
        ).collect()
        var held = Set<String>()
        for row in rows {
            let (site, job, holder) = try row.decode((String, String, String).self)
            held.insert(site + "\u{0}" + job + "\u{0}" + holder)
        }
        return held
    }
}
