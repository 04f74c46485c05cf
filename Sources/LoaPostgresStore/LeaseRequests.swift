public import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The lease requests of every commune a controller process serves on one database,
/// asked together, and shared out among the controllers.
///
/// **Together.** A province's 200 communes each have five periodic jobs whose leases
/// are asked for every few seconds (`LeasedJob`): one statement per request made
/// leases the busiest thing the database did at rest. Requests that arrive within
/// ``gathering`` of the first, or while a statement is under way, are asked together;
/// `LeasedJob` asks on the same grid of the clock in every commune, so a turn of all
/// of them costs a few statements. A statement locks its rows in (site, job) order,
/// so two controllers asking for the same leases at once take turns row by row
/// instead of deadlocking.
///
/// **Shared out.** Asked together, the first controller to ask would take every lease.
/// So each controller also keeps a row saying it is alive (site `*`, as long as its
/// leases), and each lease has a home among the live controllers (rendezvous hashing
/// on its site and their names, the same on every controller: every job of a commune
/// has the same home, so one controller does a commune's work, and what it read for one
/// job (what each hamlet was sent, the log's tree) serves the others without a read). A controller takes
/// a free lease at once only when it is the lease's home, gives up a lease whose home
/// is another live controller (makes it run out at once), and takes any other lease
/// only once it has been free for ``overShareGrace`` (its home does not serve that
/// commune, or is gone without its alive row having run out yet). A controller that
/// joins gets its share within a few turns (its alive row seen on one, the leases given
/// back on the next, taken on that one or the one after).
/// A controller that stops or is killed stops being alive when its leases run out, and
/// the others are home to them from then on.
final class LeaseRequests: Sendable {
    /// How long the first request of a statement waits for others.
    static let gathering: Duration = .milliseconds(20)
    /// Most requests in one statement.
    static let largestStatement = 2000
    /// How long a lease must have been free before a controller that is not its home takes it.
    static let overShareGrace: TimeInterval = 20
    /// The site of the rows saying which controllers are alive (`job` is the controller's name).
    static let aliveSite = "*"

    struct Request: Sendable {
        var site: String
        var job: String
        var holder: String
        var expiresAt: Date
        /// The requester's clock: a lease that ran out by then may be taken over.
        var now: Date
    }

    /// A lease: `site\0job`.
    private static func key(_ request: Request) -> String { request.site + "\u{0}" + request.job }
    /// A lease and a holder: `site\0job\0holder`.
    private static func id(_ request: Request) -> String { key(request) + "\u{0}" + request.holder }

    /// What this process knows of one holder's leases.
    private struct Holder {
        /// The leases it holds, as of its last answers.
        var held: Set<String> = []
        /// The leases it took although another controller was their home: kept, not given up again.
        var keptAwayFromHome: Set<String> = []
        /// The live controllers, itself included, as of its last statement.
        var live: [String] = []
    }

    private let client: PostgresClient
    private let logger: Logger
    /// The requests not asked yet.
    private let requests = RequestGathering<Request, Bool>(gathering: LeaseRequests.gathering)
    /// What each holder asking in this process holds, as of its last answers (the one
    /// task asking reads and changes it).
    private let holders = Mutex<[String: Holder]>([:])

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// True when `request.holder` holds the lease until `request.expiresAt`.
    func acquire(_ request: Request) async throws -> Bool {
        try await requests.submit(request, select: Self.nextStatement) { [self] batch in
            let plan = holders.withLock { holders in Self.plan(batch, holders: &holders) }
            let answers = try await ask(batch, as: plan)
            holders.withLock { holders in Self.remember(answers, of: batch, holders: &holders) }
            return batch.map { answers.held.contains(Self.id($0)) }
        }
    }

    /// What the statements of a batch answered: the leases held (`site\0job\0holder`),
    /// those of them taken from another home, and the live controllers.
    private struct Answers {
        var held: Set<String>
        var keptAway: Set<String>
        var live: Set<String>
    }

    /// Asks for `requests` as planned: the holders' alive rows with the leases to take at
    /// once by what was known; then the rest by who is alive now, at once where the
    /// holder is home now and otherwise only after the grace.
    private func ask(_ requests: [Request], as plan: [String: Asking]) async throws -> Answers {
        let earliest = requests.map(\.now).min() ?? Date()
        let alive = Dictionary(grouping: requests, by: \.holder).map { holder, requests in
            Request(site: Self.aliveSite, job: holder, holder: holder, expiresAt: requests.map(\.expiresAt).max() ?? earliest, now: earliest)
        }.sorted { $0.job < $1.job }
        // A lease given up runs out now, so its home takes it on its next turn.
        let givenUp = requests.filter { plan[Self.id($0)] == .givenUp }.map { request in
            var request = request
            request.expiresAt = earliest
            return request
        }
        var (held, live) = try await ask(alive + requests.filter { plan[Self.id($0)] == .atOnce } + givenUp, takingOver: earliest)
        held.subtract(givenUp.map(Self.id))
        let others = requests.filter { plan[Self.id($0)] == .afterGrace }
        let byHome = Dictionary(grouping: others) { Self.home(of: $0.site, among: Array(live.union([$0.holder]))) == $0.holder }
        let (homeNow, notHome) = (byHome[true] ?? [], byHome[false] ?? [])
        if !homeNow.isEmpty { held.formUnion(try await ask(homeNow, takingOver: earliest).held) }
        // Not renewed by its holder here: one given up stays given up until it runs out.
        let keptAway = notHome.isEmpty
            ? [] : try await ask(notHome, takingOver: earliest.addingTimeInterval(-Self.overShareGrace), renewing: false).held
        return Answers(held: held.union(keptAway), keptAway: keptAway, live: live)
    }

    /// Keeps what each holder of `batch` holds now and who is alive.
    private static func remember(_ answers: Answers, of batch: [Request], holders: inout [String: Holder]) {
        for request in batch {
            let (id, key) = (Self.id(request), Self.key(request))
            var holder = holders[request.holder, default: Holder()]
            if answers.held.contains(id) {
                holder.held.insert(key)
                if answers.keptAway.contains(id) { holder.keptAwayFromHome.insert(key) }
            } else {
                holder.held.remove(key)
                holder.keptAwayFromHome.remove(key)
            }
            holder.live = Array(answers.live.union([request.holder])).sorted()
            holders[request.holder] = holder
        }
    }

    /// How a request is asked.
    private enum Asking {
        /// Taken when free: the controller is the lease's home, or holds it and keeps it.
        case atOnce
        /// Taken only once free for ``overShareGrace``: another live controller is its home.
        case afterGrace
        /// Given up: the controller holds it but another live controller is its home; it is
        /// made to run out at once (the job stops running here on this turn).
        case givenUp
    }

    /// How each request of `batch` is asked (by lease and holder), from what each holder
    /// knows; the leases given up are no longer counted as held.
    private static func plan(_ batch: [Request], holders: inout [String: Holder]) -> [String: Asking] {
        var plan: [String: Asking] = [:]
        for request in batch {
            let (name, key) = (request.holder, Self.key(request))
            var holder = holders[name, default: Holder()]
            let home = Self.home(of: request.site, among: holder.live.isEmpty ? [name] : holder.live)
            let asking: Asking
            if home == name || holder.keptAwayFromHome.contains(key) {
                asking = .atOnce
            } else if holder.held.contains(key) {
                asking = .givenUp
                holder.held.remove(key)
            } else {
                asking = .afterGrace
            }
            holders[name] = holder
            plan[id(request)] = asking
        }
        return plan
    }

    /// The live controller that is home to the leases of commune `site`: the highest of
    /// a hash of the site and each name (FNV-1a, the same in every process), so a
    /// controller joining or leaving moves only its own share.
    static func home(of site: String, among live: [String]) -> String? {
        live.max { weight(site, $0) < weight(site, $1) || (weight(site, $0) == weight(site, $1) && $0 < $1) }
    }

    private static func weight(_ site: String, _ holder: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (site + "\u{0}" + holder).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The requests of the next statement among those waiting (their indices): one per
    /// (site, job) (a row is changed once per statement; a second request waits for the
    /// next), in arrival order, at most ``largestStatement``.
    private static func nextStatement(_ waiting: [Request]) -> [Int] {
        var keys = Set<String>()
        var batch: [Int] = []
        for (index, request) in waiting.enumerated() where batch.count < largestStatement && keys.insert(key(request)).inserted {
            batch.append(index)
        }
        return batch
    }

    /// One statement for `requests`, taking over leases that ran out by `takingOver`, and
    /// renewing those their holder holds when `renewing`.
    /// - Returns: the leases it holds now (`site\0job\0holder`), and the controllers
    ///   alive before it (their alive rows not run out by `takingOver`).
    private func ask(_ requests: [Request], takingOver: Date, renewing: Bool = true) async throws -> (held: Set<String>, live: Set<String>) {
        let rows = try await client.query(
            """
            WITH asked AS (
                INSERT INTO job_lease AS l (site, job, holder, expires_at)
                SELECT * FROM unnest(\(requests.map(\.site)), \(requests.map(\.job)), \(requests.map(\.holder)), \(requests.map(\.expiresAt)))
                    AS r (site, job, holder, expires_at)
                ORDER BY 1, 2
                ON CONFLICT (site, job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE (\(renewing) AND l.holder = excluded.holder) OR l.expires_at <= \(takingOver)
                RETURNING site, job, holder)
            SELECT site, job, holder FROM asked
            UNION ALL SELECT site, job, holder FROM job_lease WHERE site = \(Self.aliveSite) AND expires_at > \(takingOver)
            """, logger: logger
        ).collect()
        var held = Set<String>(), live = Set<String>()
        for row in rows {
            let (site, job, holder) = try row.decode((String, String, String).self)
            if site == Self.aliveSite { live.insert(job) } else { held.insert(site + "\u{0}" + job + "\u{0}" + holder) }
        }
        return (held, live)
    }
}

extension PostgresDatabase {
    /// Who holds each commune's job leases in force at `now` (`site\0job` → controller):
    /// which controller does what, once the homes have settled after a controller joined
    /// or left (`loa-bench province` waits for that before it sends its emergency).
    public func leaseHolders(at now: Date) async throws -> [String: String] {
        var holders: [String: String] = [:]
        for row in try await client.rows(
            "SELECT site, job, holder FROM job_lease WHERE site <> \(LeaseRequests.aliveSite) AND expires_at > \(now)", logger)
        {
            holders[try row.value("site", as: String.self) + "\u{0}" + row.value("job", as: String.self)] = try row.value("holder")
        }
        return holders
    }
}
