public import Foundation
public import LoaDomain

/// Schedule versions and their approvals. Applying and approving append to the
/// transparency log in the same transaction.
public protocol ScheduleStore: Sendable {
    /// Stores `schedule` as the next version (the active one from now on), with the
    /// schedule files it was read from, and appends a `schedule-applied` entry to
    /// the transparency log in the same transaction.
    /// - Parameters:
    ///   - sourceFiles: file name → text of the schedule files, kept for the record.
    ///   - user: the name of the user who applies it.
    /// - Returns: what changed against the version before, and what awaits approval.
    @discardableResult
    func applySchedule(_ schedule: BroadcastSchedule, sourceFiles: [String: String], by user: String, at now: Date) async throws
        -> ScheduleChange
    /// The active schedule: the version applied last; nil before the first.
    func activeSchedule() async throws -> StoredSchedule?
    /// A schedule version, active or not.
    func schedule(version: Int) async throws -> StoredSchedule?
    /// Every version, oldest first.
    func scheduleVersions() async throws -> [StoredSchedule]
    /// The schedule files (name → text) version `version` was read from; nil for an unknown version.
    func scheduleSources(version: Int) async throws -> [String: String]?
    /// Records `user`'s approval of programmes and notices of the active version,
    /// each for its content as it is now, and logs it.
    /// - Parameter programmeIDs: nil approves every programme and notice of the version.
    /// - Returns: the approval status of every programme and notice of the version.
    /// - Throws: `ScheduleVersionError` when `version` is not the active one or an id is not in it.
    @discardableResult
    func approve(version: Int, programmeIDs: [String]?, by user: String, at now: Date) async throws -> [ProgrammeApproval]
    /// Records the approvals of each of `users` in turn, as `approve(version:programmeIDs:by:at:)`
    /// does for one, in one transaction where the engine gains by it (a province
    /// emergency's two approvers, taken up by each of hundreds of communes at once).
    /// - Returns: the approval status of every programme and notice of the version.
    @discardableResult
    func approve(version: Int, programmeIDs: [String]?, byEach users: [String], at now: Date) async throws -> [ProgrammeApproval]
    /// Where each programme, then each notice, of version `version` stands with its
    /// approvals, in schedule order.
    /// - Throws: `ScheduleVersionError.unknownVersion`.
    func approvalStatus(version: Int) async throws -> [ProgrammeApproval]
}

extension ScheduleStore {
    /// One approval after the other, each its own transaction.
    @discardableResult
    public func approve(version: Int, programmeIDs: [String]?, byEach users: [String], at now: Date) async throws
        -> [ProgrammeApproval]
    {
        var status: [ProgrammeApproval]?
        for user in users { status = try await approve(version: version, programmeIDs: programmeIDs, by: user, at: now) }
        if let status { return status }
        return try await approvalStatus(version: version)
    }

    /// The programmes and notices of version `version` that may air (be posted):
    /// normal and priority ones approved by at least one person, emergencies by two
    /// different people.
    public func approvedProgrammeIDs(version: Int) async throws -> Set<String> {
        Set(try await approvalStatus(version: version).filter(\.isApproved).map(\.programmeID))
    }
}
