public import Foundation
import GRDB
public import LoaDomain
import LoaProtocol
import LoaTransparency

extension SQLiteStore {
    /// Stores `schedule` as the next version (the active one from now on), with the
    /// schedule files it was read from, and appends a `schedule-applied` entry to
    /// the transparency log in the same transaction.
    /// - Parameters:
    ///   - sourceFiles: file name → text of the schedule files, kept for the record.
    ///   - user: the name of the user who applies it.
    /// - Returns: what changed against the version before, and what awaits approval.
    @discardableResult
    public func applySchedule(
        _ schedule: BroadcastSchedule, sourceFiles: [String: String], by user: String, at now: Date
    ) async throws -> ScheduleChange {
        let application = try ScheduleApplication(schedule, sourceFiles: sourceFiles)
        return try await writeAppendingToLog { db, append in
            let previous = try Self.latestScheduleVersion(db)
            let version = (previous?.version ?? 0) + 1
            var change = application.change(version: version, previous: previous)
            let record = try append(application.logEntry(version: version, by: user, at: now))
            try db.execute(
                sql: """
                    INSERT INTO scheduleVersion (version, site, schedule, digest, sources, appliedAt, appliedBy, logPosition)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    version, schedule.site.id, application.bytes, application.digest, application.sources, now, user,
                    Int64(record.index),
                ])
            change.awaitingApproval = try Self.approvalStatus(of: schedule, db).filter { !$0.isApproved }.map(\.programmeID)
            return change
        }
    }

    /// The active schedule: the version applied last; nil before the first.
    public func activeSchedule() async throws -> StoredSchedule? {
        try await database.read { db in try Self.latestScheduleVersion(db) }
    }

    /// A schedule version, active or not.
    public func schedule(version: Int) async throws -> StoredSchedule? {
        try await database.read { db in try Self.scheduleVersion(version, db) }
    }

    /// The schedule files (name → text) version `version` was read from.
    public func scheduleSources(version: Int) async throws -> [String: String]? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT sources FROM scheduleVersion WHERE version = ?", arguments: [version])
                .map { try WireCoding.decode([String: String].self, from: $0) }
        }
    }

    /// Records `user`'s approval of programmes and notices of the active version, each
    /// against its content (`ProgrammeDigest`, `NoticeDigest`), and appends one
    /// `approval` entry per new approval to the transparency log in the same
    /// transaction. Approving what one already approved changes nothing and logs nothing.
    /// - Parameters:
    ///   - version: must be the active version: one approves what one has seen.
    ///   - programmeIDs: the programmes and notices to approve (ids are unique across
    ///     both); nil approves every programme and notice of the version.
    /// - Returns: the approval status of every programme, then every notice, of the version.
    /// - Throws: `ScheduleVersionError` for an unknown or no longer active version, or unknown ids.
    @discardableResult
    public func approve(version: Int, programmeIDs: [String]?, by user: String, at now: Date) async throws -> [ProgrammeApproval] {
        try await writeAppendingToLog { db, append in
            let (schedule, approvables) = try Approvable.toApprove(
                programmeIDs, version: version, active: try Self.latestScheduleVersion(db),
                versionExists: try Self.scheduleVersion(version, db) != nil)
            for approvable in approvables {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO programmeApproval (programme, digest, approver, approvedAt, version)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [approvable.id, approvable.digest, user, now, version])
                guard db.changesCount > 0 else { continue }
                let record = try append(approvable.logEntry(version: version, by: user, at: now))
                try db.execute(
                    sql: "UPDATE programmeApproval SET logPosition = ? WHERE programme = ? AND digest = ? AND approver = ?",
                    arguments: [Int64(record.index), approvable.id, approvable.digest, user])
            }
            return try Self.approvalStatus(of: schedule, db)
        }
    }

    /// Where each programme, then each notice, of version `version` stands with its
    /// approvals, in schedule order.
    /// - Throws: `ScheduleVersionError.unknownVersion`.
    public func approvalStatus(version: Int) async throws -> [ProgrammeApproval] {
        try await database.read { db in
            guard let stored = try Self.scheduleVersion(version, db) else {
                throw ScheduleVersionError.unknownVersion(version, active: try Self.latestScheduleVersion(db)?.version)
            }
            return try Self.approvalStatus(of: stored.schedule, db)
        }
    }


    private static func approvalStatus(of schedule: BroadcastSchedule, _ db: Database) throws -> [ProgrammeApproval] {
        try Approvable.all(of: schedule).map { approvable in
            let approvers = try Row.fetchAll(
                db,
                sql: """
                    SELECT approver, approvedAt FROM programmeApproval WHERE programme = ? AND digest = ?
                    ORDER BY approvedAt, approver
                    """,
                arguments: [approvable.id, approvable.digest]
            ).map { ProgrammeApproval.Approver(name: $0["approver"], at: $0["approvedAt"]) }
            return approvable.status(approvers)
        }
    }

    private static func latestScheduleVersion(_ db: Database) throws -> StoredSchedule? {
        try Row.fetchOne(db, sql: "SELECT * FROM scheduleVersion ORDER BY version DESC LIMIT 1").map(storedSchedule)
    }

    private static func scheduleVersion(_ version: Int, _ db: Database) throws -> StoredSchedule? {
        try Row.fetchOne(db, sql: "SELECT * FROM scheduleVersion WHERE version = ?", arguments: [version]).map(storedSchedule)
    }

    static func storedSchedule(_ row: Row) throws -> StoredSchedule {
        StoredSchedule(
            version: row["version"], schedule: try WireCoding.decode(BroadcastSchedule.self, from: row["schedule"]),
            appliedAt: row["appliedAt"], appliedBy: row["appliedBy"], digest: row["digest"])
    }
}
