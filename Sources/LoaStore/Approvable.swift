package import Foundation
package import LoaDomain
import LoaTransparency
import LoaProtocol

/// A part of a schedule that is approved against its content digest: a programme
/// (`ProgrammeDigest`) or a notice (`NoticeDigest`). Ids are unique across both,
/// so their approvals share one table.
package struct Approvable {
    package var id: String
    package var digest: String
    /// `emergency` needs two different approvers.
    package var priority: PriorityClass
    /// Its status given its approvers.
    package var status: ([ProgrammeApproval.Approver]) -> ProgrammeApproval

    /// Every programme, then every notice, of `schedule`, in schedule order.
    package static func all(of schedule: BroadcastSchedule) -> [Approvable] {
        schedule.programmes.map { programme in
            let digest = ProgrammeDigest.of(programme)
            return Approvable(id: programme.id, digest: digest, priority: programme.priority) {
                ProgrammeApproval(programme: programme, digest: digest, approvers: $0)
            }
        } + schedule.notices.map { notice in
            let digest = NoticeDigest.of(notice)
            return Approvable(id: notice.id, digest: digest, priority: ApprovalRule.approvalPriority(of: notice)) {
                ProgrammeApproval(notice: notice, digest: digest, approvers: $0)
            }
        }
    }
}

/// A schedule as an engine stores it when it is applied: its canonical bytes and
/// digest, its source files, and the log entry and change it makes.
package struct ScheduleApplication {
    package let schedule: BroadcastSchedule
    /// Canonical JSON, as stored and digested.
    package let bytes: Data
    package let digest: String
    /// The source files (name → text), encoded.
    package let sources: Data
    /// Programme and notice ids → content digests, as logged.
    private let programmes: [String: String]

    package init(_ schedule: BroadcastSchedule, sourceFiles: [String: String]) throws {
        self.schedule = schedule
        bytes = try CanonicalJSON.encode(schedule)
        digest = MediaDigest.sha256(bytes)
        sources = try WireCoding.encode(sourceFiles)
        // Notices are listed with the programmes: ids are unique across both.
        programmes = Dictionary(Approvable.all(of: schedule).map { ($0.id, $0.digest) }, uniquingKeysWith: { first, _ in first })
    }

    /// The `schedule-applied` log entry of version `version`.
    package func logEntry(version: Int, by user: String, at now: Date) -> Data {
        LogEntryEncoding.encode(fixedFields: LogEntryEncoding.fields(
            scheduleVersion: version, site: schedule.site.id, digest: digest, programmes: programmes, by: user, at: now))
    }

    /// What changes against `previous` when this becomes version `version`.
    package func change(version: Int, previous: StoredSchedule?) -> ScheduleChange {
        ScheduleChange(
            version: version, previousVersion: previous?.version, from: previous?.schedule, to: schedule,
            programmeDigest: ProgrammeDigest.of, noticeDigest: NoticeDigest.of)
    }
}

extension Approvable {
    /// What an approval of `programmeIDs` (nil: all) of `version` approves, checked
    /// against the active version (one approves what one has seen), and that version's schedule.
    /// - Parameter versionExists: whether `version` was ever applied (for the error's words).
    /// - Throws: `ScheduleVersionError` for no schedule, an unknown or no longer active version, or unknown ids.
    package static func toApprove(
        _ programmeIDs: [String]?, version: Int, active: StoredSchedule?, versionExists: Bool
    ) throws -> (schedule: BroadcastSchedule, approvables: [Approvable]) {
        guard let active else { throw ScheduleVersionError.noSchedule }
        guard version == active.version else {
            if !versionExists { throw ScheduleVersionError.unknownVersion(version, active: active.version) }
            throw ScheduleVersionError.notActive(version: version, active: active.version)
        }
        let approvables = all(of: active.schedule)
        let known = Set(approvables.map(\.id))
        let unknown = (programmeIDs ?? []).filter { !known.contains($0) }
        guard unknown.isEmpty else { throw ScheduleVersionError.unknownProgrammes(unknown, version: version) }
        let wanted = Set(programmeIDs ?? Array(known))
        return (active.schedule, approvables.filter { wanted.contains($0.id) })
    }

    /// The `approval` log entry of this approvable.
    package func logEntry(version: Int, by user: String, at now: Date) -> Data {
        LogEntryEncoding.encode(fixedFields: LogEntryEncoding.fields(
            approvalOf: id, digest: digest, priority: priority.rawValue, version: version, by: user, at: now))
    }
}
