public import Foundation
import LoaDomain
public import LoaStore
public import Logging
import PostgresNIO

/// The province's desk on the shared PostgreSQL database (`ProvinceDeskStore`):
/// province accounts, emergencies proposed to many communes, their approvals under
/// the two-person rule, and which communes took each up. It belongs to no commune;
/// each commune's controller reads what is addressed to it (`PostgresStore`'s
/// `ProvinceEmergencyInbox`).
public final class PostgresProvince: ProvinceDeskStore {
    let client: PostgresClient
    private let database: PostgresDatabase
    private let ownsDatabase: Bool
    let logger: Logger

    /// Connects and applies the migrations not applied yet.
    public convenience init(connection: PostgresStore.Connection, logger: Logger = Logger(label: "loa.province")) async throws {
        self.init(
            database: try await PostgresDatabase(connection: connection, maximumConnections: 4, logger: logger), owning: true,
            logger: logger)
    }

    /// The province's desk on a pool the process shares.
    public convenience init(database: PostgresDatabase, logger: Logger = Logger(label: "loa.province")) {
        self.init(database: database, owning: false, logger: logger)
    }

    private init(database: PostgresDatabase, owning: Bool, logger: Logger) {
        self.database = database
        ownsDatabase = owning
        client = database.client
        self.logger = logger
    }

    /// Stops the connections, unless the pool is shared.
    public func close() {
        guard ownsDatabase else { return }
        Task { [database] in await database.close() }
    }

    public func addProvinceUser(_ user: ProvinceUser, password: String, at now: Date) async throws {
        try await addProvinceUser(user, password: password, by: nil, at: now)
    }

    public func provinceUser(named name: String, password: String) async throws -> ProvinceUser? {
        let row = try await client.rows("SELECT * FROM province_user WHERE name = \(name)", logger).first
        // A decoy hash when the name is unknown: about the same time either way; a
        // disabled account is refused after the same work.
        let hash = try row.map { try PasswordHash(text: try $0.value("password_hash", as: String.self)) } ?? PasswordHash.decoy
        guard hash.matches(password), let row, try row.value("disabled_at", as: Date?.self) == nil else { return nil }
        return try Self.user(from: row)
    }

    /// The account of a `province_user` row.
    static func user(from row: PostgresRandomAccessRow) throws -> ProvinceUser {
        ProvinceUser(
            name: try row.value("name"), displayName: try row.value("display_name", as: String.self),
            roles: roles(in: try row.value("roles")))
    }

    /// The roles of a `roles` column (`officer,approver`).
    static func roles(in text: String) -> Set<ProvinceUser.Role> {
        Set(text.split(separator: ",").compactMap { ProvinceUser.Role(rawValue: String($0)) })
    }

    public func propose(_ emergency: ProvinceEmergency, by user: ProvinceUser) async throws {
        guard user.roles.contains(.officer) else { throw ProvinceEmergencyError.notAllowed(user: user.name, needs: .officer) }
        var problems = ProvinceEmergency.problems(title: emergency.title, text: emergency.text, communes: emergency.communes)
        // A misspelt commune would never hear the warning: only communes whose controllers run here.
        let known = Set(try await client.rows(
            "SELECT site FROM province_commune WHERE site = ANY(\(emergency.communes))", logger
        ).map { try $0.value("site", as: String.self) })
        let unknown = emergency.communes.filter { !known.contains($0) }
        if !unknown.isEmpty {
            let list = unknown.joined(separator: ", ")
            problems.append("Không có xã \(list) trên cơ sở dữ liệu của tỉnh (no commune \(list) on the province's database)")
        }
        guard problems.isEmpty else { throw ProvinceEmergencyError.invalid(problems) }
        try await client.run(
            """
            INSERT INTO province_emergency (id, title, text, communes, start_at, proposed_by, proposed_at)
            VALUES (\(emergency.id), \(emergency.title), \(emergency.text), \(emergency.communes), \(emergency.startAt),
                    \(user.name), \(emergency.proposedAt))
            """, logger)
    }

    public func approveEmergency(id: String, by user: ProvinceUser, at now: Date) async throws -> ProvinceEmergency {
        guard user.roles.contains(.approver) else { throw ProvinceEmergencyError.notAllowed(user: user.name, needs: .approver) }
        return try await client.transaction(logger) { connection in
            // The emergency's row locked: two approvals at once are counted one after the other.
            guard let emergency = try await Self.emergency(id: id, on: connection, lock: true, logger) else {
                throw ProvinceEmergencyError.unknownEmergency(id)
            }
            guard emergency.cancelledAt == nil else { throw ProvinceEmergencyError.cancelled(id) }
            guard emergency.proposedBy != user.name else { throw ProvinceEmergencyError.proposerCannotApprove }
            guard !emergency.approvals.contains(where: { $0.approver == user.name }) else {
                throw ProvinceEmergencyError.alreadyApproved(by: user.name)
            }
            try await connection.run(
                "INSERT INTO province_approval (emergency_id, approver, at) VALUES (\(id), \(user.name), \(now))", logger)
            var approved = emergency
            approved.approvals.append(.init(approver: user.name, at: now))
            if approved.isApproved {
                // Delivered at commit: every controller listening takes it up now, not at its next turn.
                try await connection.run("SELECT pg_notify(\(PostgresDatabase.provinceEmergencyChannel), \(id))", logger)
            }
            return approved
        }
    }

    public func cancelEmergency(id: String, by user: ProvinceUser, at now: Date) async throws {
        guard !user.roles.isEmpty else { throw ProvinceEmergencyError.notAllowed(user: user.name, needs: .officer) }
        let cancelled = try await client.changed(
            "UPDATE province_emergency SET cancelled_at = \(now), cancelled_by = \(user.name) WHERE id = \(id) AND cancelled_at IS NULL RETURNING 1",
            logger)
        guard cancelled else { throw ProvinceEmergencyError.unknownEmergency(id) }
        try await client.run("SELECT pg_notify(\(PostgresDatabase.provinceEmergencyChannel), \(id))", logger)
    }

    public func provinceEmergency(id: String) async throws -> ProvinceEmergency? {
        try await Self.emergency(id: id, on: client, lock: false, logger)
    }

    public func takeUps(of id: String) async throws -> [String: ProvinceTakeUp] {
        // Its items are `tinh-{id}@{hamlet}` in each commune; receivers counted once per kind.
        let itemPrefix = ProvinceEmergency.programmeID(of: id) + "@"
        var takeUps: [String: ProvinceTakeUp] = [:]
        for row in try await client.rows(
            """
            SELECT t.site, t.version, t.taken_at, e.kind, count(DISTINCT e.device) AS receivers
            FROM province_take_up t
            LEFT JOIN event e ON e.site = t.site AND starts_with(e.item, \(itemPrefix)) AND e.kind IN ('ready', 'started', 'finished')
            WHERE t.emergency_id = \(id)
            GROUP BY t.site, t.version, t.taken_at, e.kind
            """, logger)
        {
            let site = try row.value("site", as: String.self)
            let taken = ProvinceTakeUp(
                version: Int(try row.value("version", as: Int64.self)), takenAt: try row.value("taken_at", as: Date.self))
            var takeUp = takeUps[site] ?? taken
            let receivers = Int(try row.value("receivers", as: Int64.self))
            switch try row.value("kind", as: String?.self) {
            case "ready": takeUp.receiversReady = receivers
            case "started": takeUp.receiversStarted = receivers
            case "finished": takeUp.receiversFinished = receivers
            default: break
            }
            takeUps[site] = takeUp
        }
        return takeUps
    }

    /// One emergency with its approvals; `lock` takes its row for the transaction.
    static func emergency(id: String, on querying: some PostgresQuerying, lock: Bool, _ logger: Logger) async throws -> ProvinceEmergency? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM province_emergency WHERE id = \(id) FOR UPDATE" : "SELECT * FROM province_emergency WHERE id = \(id)"
        guard let row = try await querying.rows(query, logger).first else { return nil }
        var emergency = try emergency(from: row)
        emergency.approvals = try await querying.rows(
            "SELECT approver, at FROM province_approval WHERE emergency_id = \(id) ORDER BY at, approver", logger
        ).map { ProvinceEmergency.Approval(approver: try $0.value("approver", as: String.self), at: try $0.value("at", as: Date.self)) }
        return emergency
    }

    /// The emergency of a `province_emergency` row (approvals not read).
    static func emergency(from row: PostgresRandomAccessRow) throws -> ProvinceEmergency {
        ProvinceEmergency(
            id: try row.value("id"), title: try row.value("title"), text: try row.value("text"),
            communes: try row.value("communes", as: [String].self), startAt: try row.value("start_at"),
            proposedBy: try row.value("proposed_by"), proposedAt: try row.value("proposed_at"),
            cancelledAt: try row.value("cancelled_at", as: Date?.self), cancelledBy: try row.value("cancelled_by", as: String?.self))
    }
}

extension PostgresStore: ProvinceEmergencyInbox {
    public func provinceEmergencyNotices() -> AsyncStream<Void> { database.provinceEmergencyNotices() }

    /// A session advisory lock on one connection of the pool, held while `body` runs
    /// (as one of the pool's locking sections: `body` needs connections of its own).
    public func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let key = "province-take-up:\(site)"
        return try await database.lockingSections.withLock { try await client.withConnection { connection in
            try await connection.run("SELECT pg_advisory_lock(hashtextextended(\(key), 0))", logger)
            do {
                let result = try await body()
                try await connection.run("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))", logger)
                return result
            } catch {
                try? await connection.run("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))", logger)
                throw error
            }
        } }
    }

    /// Asked with the checks of the other communes of this process made at the same
    /// moment (the take-up job's turns are on the clock's grid in every commune): one
    /// statement for them all, not one per commune every 5 s.
    public func hasProvinceEmergencyWork(since oldest: Date) async throws -> Bool {
        try await database.emergencyWorkChecks.submit(EmergencyWorkCheck(store: self, oldest: oldest), answer: Self.checkWork)
    }

    /// Which of `checks`' communes have an emergency to take up or to withdraw: one statement.
    static func checkWork(_ checks: [EmergencyWorkCheck]) async throws -> [Bool] {
        var binds = PostgresBindings()
        binds.append(checks.map(\.store.site))  // $1
        // The earliest: a check that finds work is looked at closely under the commune's lock.
        binds.append(checks.map(\.oldest).min() ?? Date())  // $2
        let conditions = workConditions([.waiting, .withdrawn], site: "s.site")
        let sql = "SELECT s.site FROM unnest($1::text[]) AS s (site) WHERE EXISTS (SELECT 1 FROM province_emergency e WHERE \(conditions))"
        let first = checks[0].store
        let withWork = Set(try await first.client.rows(PostgresQuery(unsafeSQL: sql, binds: binds), first.logger).map {
            try $0.value("site", as: String.self)
        })
        return checks.map { withWork.contains($0.store.site) }
    }

    public func provinceEmergenciesToTakeUp(since oldest: Date) async throws -> [ProvinceEmergency] {
        let rows = try await client.rows(emergencies("e.*", [.waiting], since: oldest, then: "ORDER BY e.start_at, e.id"), logger)
        var emergencies: [ProvinceEmergency] = []
        for row in rows {
            let id: String = try row.value("id")
            if let emergency = try await PostgresProvince.emergency(id: id, on: client, lock: false, logger), emergency.isApproved {
                emergencies.append(emergency)
            }
        }
        return emergencies
    }

    public func withdrawnProvinceEmergencies(since oldest: Date) async throws -> [ProvinceEmergency] {
        try await client.rows(emergencies("e.*", [.withdrawn], since: oldest, then: "ORDER BY e.start_at, e.id"), logger)
            .map(PostgresProvince.emergency(from:))
    }

    /// What a commune has to do with an emergency of the province.
    private enum EmergencyWork {
        /// Approved, not withdrawn, addressed to the commune and not taken up by it yet.
        case waiting
        /// Taken up by the commune, then withdrawn by the province.
        case withdrawn
    }

    /// `SELECT select FROM province_emergency e` of the emergencies not older than
    /// `oldest` that this commune has any of `work` to do with, then `rest`.
    private func emergencies(_ select: String, _ work: [EmergencyWork], since oldest: Date, then rest: String = "") -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(site)  // $1
        binds.append(oldest)  // $2
        return PostgresQuery(
            unsafeSQL: "SELECT \(select) FROM province_emergency e WHERE \(Self.workConditions(work, site: "$1")) \(rest)", binds: binds)
    }

    /// The condition on `province_emergency e` that the commune named by the SQL
    /// expression `site` has any of `work` to do with it, for emergencies starting at `$2` or later.
    private static func workConditions(_ work: [EmergencyWork], site: String) -> String {
        work.map { work in
            switch work {
            case .waiting:
                """
                (\(site) = ANY(e.communes) AND e.cancelled_at IS NULL AND e.start_at >= $2
                  AND NOT EXISTS (SELECT 1 FROM province_take_up t WHERE t.emergency_id = e.id AND t.site = \(site))
                  AND (SELECT count(DISTINCT approver) FROM province_approval a WHERE a.emergency_id = e.id) >= \(ProvinceEmergency.requiredApprovers))
                """
            case .withdrawn:
                """
                (e.cancelled_at IS NOT NULL AND e.start_at >= $2
                  AND EXISTS (SELECT 1 FROM province_take_up t WHERE t.emergency_id = e.id AND t.site = \(site)))
                """
            }
        }.joined(separator: " OR ")
    }

    public func registerCommune(name: String, hamlets: Int, at now: Date) async throws {
        try await client.run(
            """
            INSERT INTO province_commune (site, name, hamlets, seen_at) VALUES (\(site), \(name), \(Int64(hamlets)), \(now))
            ON CONFLICT (site) DO UPDATE SET name = EXCLUDED.name, hamlets = EXCLUDED.hamlets, seen_at = EXCLUDED.seen_at
            """, logger)
    }

    public func recordTakeUp(of id: String, version: Int, at now: Date) async throws -> Bool {
        try await client.changed(
            """
            INSERT INTO province_take_up (emergency_id, site, version, taken_at) VALUES (\(id), \(site), \(Int64(version)), \(now))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger)
    }
}

/// One commune's question whether it has a province emergency to take up or withdraw
/// (`PostgresStore.hasProvinceEmergencyWork`), asked with others.
struct EmergencyWorkCheck: Sendable {
    var store: PostgresStore
    var oldest: Date
}
