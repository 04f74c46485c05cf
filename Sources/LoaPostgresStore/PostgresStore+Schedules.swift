public import Foundation
public import LoaDomain
import LoaProtocol
import LoaTransparency
public import LoaStore
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    @discardableResult
    public func applySchedule(
        _ schedule: BroadcastSchedule, sourceFiles: [String: String], by user: String, at now: Date
    ) async throws -> ScheduleChange {
        let application = try ScheduleApplication(schedule, sourceFiles: sourceFiles)
        return try await writeAppendingToLog { db, log in
            let previous = try await self.latestScheduleVersion(db)
            let version = (previous?.version ?? 0) + 1
            var change = application.change(version: version, previous: previous)
            let record = log.append(application.logEntry(version: version, by: user, at: now))
            try await db.run(
                """
                INSERT INTO schedule_version (site, version, schedule_site, schedule, digest, sources, applied_at, applied_by, log_position)
                VALUES (\(self.site), \(version), \(schedule.site.id), \(application.bytes), \(application.digest),
                    \(application.sources), \(now), \(user), \(Int64(record.index)))
                """, self.logger)
            change.awaitingApproval = try await self.approvalStatus(of: schedule, db).filter { !$0.isApproved }.map(\.programmeID)
            return change
        }
    }

    public func activeSchedule() async throws -> StoredSchedule? { try await latestScheduleVersion(client) }

    public func schedule(version: Int) async throws -> StoredSchedule? { try await scheduleVersion(version, client) }

    public func scheduleVersions() async throws -> [StoredSchedule] {
        try await client.rows("SELECT * FROM schedule_version WHERE site = \(site) ORDER BY version", logger).map(storedSchedule)
    }

    public func scheduleSources(version: Int) async throws -> [String: String]? {
        try await client.rows(
            "SELECT sources FROM schedule_version WHERE site = \(site) AND version = \(version)", logger
        ).first.map { try WireCoding.decode([String: String].self, from: try $0.value("sources")) }
    }

    @discardableResult
    public func approve(version: Int, programmeIDs: [String]?, by user: String, at now: Date) async throws -> [ProgrammeApproval] {
        try await approve(version: version, programmeIDs: programmeIDs, byEach: [user], at: now)
    }

    /// All of `users`' approvals in one transaction: what is approved already is read
    /// once, the new approvals are written in one statement with their log positions.
    @discardableResult
    public func approve(version: Int, programmeIDs: [String]?, byEach users: [String], at now: Date) async throws
        -> [ProgrammeApproval]
    {
        try await writeAppendingToLog { db, log in
            let active = try await self.latestScheduleVersion(db)
            // Whether an older version exists matters only for the refusal's words.
            let versionExists = version == active?.version ? true : try await self.scheduleVersion(version, db) != nil
            let (schedule, approvables) = try Approvable.toApprove(
                programmeIDs, version: version, active: active, versionExists: versionExists)
            // Read under the commune's log head, which every approval locks first: it
            // stays so until this transaction ends.
            var approved = Set(try await db.rows(
                """
                SELECT programme, digest, approver FROM programme_approval
                WHERE site = \(self.site) AND programme = ANY(\(Array(Set(approvables.map(\.id))))::text[])
                """, self.logger
            ).map { try Self.approvalKey($0.value("programme"), $0.value("digest"), $0.value("approver")) })
            var rows = ColumnArrays([.text, .text, .text, .text, .timestamptz, .int8, .int8])
            for user in users {
                for approvable in approvables where approved.insert(Self.approvalKey(approvable.id, approvable.digest, user)).inserted {
                    let record = log.append(approvable.logEntry(version: version, by: user, at: now))
                    try rows.row { row in
                        try row.append(self.site)
                        try row.append(approvable.id)
                        try row.append(approvable.digest)
                        try row.append(user)
                        try row.append(now)
                        try row.append(Int64(version))
                        try row.append(Int64(record.index))
                    }
                }
            }
            if rows.count > 0 {
                var binds = PostgresBindings()
                try await db.run(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO programme_approval (site, programme, digest, approver, approved_at, version, log_position)
                            SELECT * FROM \(rows.unnest(binding: &binds))
                            """,
                        binds: binds),
                    self.logger)
            }
            return try await self.approvalStatus(of: schedule, db)
        }
    }

    private static func approvalKey(_ programme: String, _ digest: String, _ approver: String) -> String {
        programme + "\u{0}" + digest + "\u{0}" + approver
    }

    public func approvalStatus(version: Int) async throws -> [ProgrammeApproval] {
        guard let stored = try await scheduleVersion(version, client) else {
            throw ScheduleVersionError.unknownVersion(version, active: try await latestScheduleVersion(client)?.version)
        }
        return try await approvalStatus(of: stored.schedule, client)
    }

    /// The approvals of every programme and notice of `schedule`, read in one query.
    private func approvalStatus(of schedule: BroadcastSchedule, _ db: some PostgresQuerying) async throws -> [ProgrammeApproval] {
        let approvables = Approvable.all(of: schedule)
        guard !approvables.isEmpty else { return [] }
        var approvers: [String: [ProgrammeApproval.Approver]] = [:]
        for row in try await db.rows(
            """
            SELECT programme, digest, approver, approved_at FROM programme_approval
            WHERE site = \(site) AND programme = ANY(\(Array(Set(approvables.map(\.id))))::text[])
            ORDER BY approved_at, approver
            """, logger)
        {
            let key = try row.value("programme", as: String.self) + "\u{0}" + row.value("digest", as: String.self)
            approvers[key, default: []].append(ProgrammeApproval.Approver(name: try row.value("approver"), at: try row.value("approved_at")))
        }
        return approvables.map { $0.status(approvers[$0.id + "\u{0}" + $0.digest] ?? []) }
    }

    /// The latest version, its schedule decoded once: a version's row never changes, so one
    /// this process has read is not sent again.
    private func latestScheduleVersion(_ db: some PostgresQuerying) async throws -> StoredSchedule? {
        let known = knownSchedules.withLock { Array($0.keys) }
        guard let row = try await db.rows(
            """
            SELECT version, applied_at, applied_by, digest, CASE WHEN version = ANY(\(known)::int8[]) THEN NULL ELSE schedule END AS schedule
            FROM schedule_version WHERE site = \(site) ORDER BY version DESC LIMIT 1
            """, logger
        ).first else { return nil }
        // Left out as known, but no longer kept (another read kept newer ones meanwhile): read whole.
        let version: Int = try row.value("version")
        if try row.value("schedule", as: Data?.self) == nil, knownSchedules.withLock({ $0[version] }) == nil {
            return try await scheduleVersion(version, db)
        }
        return try storedSchedule(row)
    }

    private func scheduleVersion(_ version: Int, _ db: some PostgresQuerying) async throws -> StoredSchedule? {
        if let known = knownSchedules.withLock({ $0[version] }) { return known }
        return try await db.rows("SELECT * FROM schedule_version WHERE site = \(site) AND version = \(version)", logger)
            .first.map(storedSchedule)
    }

    /// The version of a `schedule_version` row: the one kept when its schedule was left out.
    private func storedSchedule(_ row: PostgresRandomAccessRow) throws -> StoredSchedule {
        let version: Int = try row.value("version")
        if let known = knownSchedules.withLock({ $0[version] }) { return known }
        let stored = StoredSchedule(
            version: version, schedule: try WireCoding.decode(BroadcastSchedule.self, from: try row.value("schedule")),
            appliedAt: try row.value("applied_at"), appliedBy: try row.value("applied_by"), digest: try row.value("digest"))
        knownSchedules.withLock { known in
            known[version] = stored
            // The latest few: what the dispatcher, the approvals and a take-up read again.
            while known.count > Self.knownSchedulesLimit, let oldest = known.keys.min() { known[oldest] = nil }
        }
        return stored
    }
}
