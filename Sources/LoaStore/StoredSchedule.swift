public import Foundation
public import LoaDomain
import LoaProtocol

/// A schedule version as the store holds it.
public struct StoredSchedule: Sendable, Equatable, Codable {
    /// 1 for the first schedule applied, then one more with each.
    public var version: Int
    public var schedule: BroadcastSchedule
    public var appliedAt: Date
    /// The name of the user who applied it.
    public var appliedBy: String
    /// SHA-256 (lowercase hex) of the stored schedule's canonical JSON, as logged.
    public var digest: String

    public init(version: Int, schedule: BroadcastSchedule, appliedAt: Date, appliedBy: String, digest: String) {
        self.version = version
        self.schedule = schedule
        self.appliedAt = appliedAt
        self.appliedBy = appliedBy
        self.digest = digest
    }
}

/// Where a programme or notice of a schedule version stands with its approvals.
/// Ids are unique across programmes and notices; `kind` tells which it is.
public struct ProgrammeApproval: Sendable, Equatable, Codable {
    /// The programme's or notice's id.
    public var programmeID: String
    /// A loudspeaker programme or a notice-board notice.
    public var kind: Kind
    public var title: String
    /// The programme's priority; for a notice, `emergency` for an emergency notice
    /// (it needs two approvers) and `normal` otherwise.
    public var priority: PriorityClass
    /// The content the approvals hold for (`ProgrammeDigest` or `NoticeDigest`).
    public var digest: String
    /// Who approved this content, and when, earliest first; each person once.
    public var approvers: [Approver]
    /// How many different people must approve: 2 for an emergency, else 1.
    public var requiredApprovers: Int
    /// True when enough different people approved: the programme may air, the notice be posted.
    public var isApproved: Bool

    /// What is approved.
    public enum Kind: String, Sendable, Codable {
        /// A programme of the loudspeakers.
        case programme
        /// A notice of the hamlets' notice boards.
        case notice
    }

    /// One person's approval.
    public struct Approver: Sendable, Equatable, Codable {
        /// The user's name.
        public var name: String
        public var at: Date

        public init(name: String, at: Date) {
            self.name = name
            self.at = at
        }
    }

    /// A programme's status.
    public init(programme: Programme, digest: String, approvers: [Approver]) {
        self.init(
            id: programme.id, kind: .programme, title: programme.title, priority: programme.priority, digest: digest,
            approvers: approvers)
    }

    /// A notice's status: an emergency notice needs two approvers, like an emergency programme.
    public init(notice: Notice, digest: String, approvers: [Approver]) {
        self.init(
            id: notice.id, kind: .notice, title: notice.title, priority: ApprovalRule.approvalPriority(of: notice), digest: digest,
            approvers: approvers)
    }

    private init(id: String, kind: Kind, title: String, priority: PriorityClass, digest: String, approvers: [Approver]) {
        programmeID = id
        self.kind = kind
        self.title = title
        self.priority = priority
        self.digest = digest
        self.approvers = approvers
        requiredApprovers = ApprovalRule.requiredApprovers(for: priority)
        isApproved = ApprovalRule.approvedAt(approvers.map { ($0.name, $0.at) }, priority: priority) != nil
    }

    /// When the approval was completed (`ApprovalRule.approvedAt`); nil while it is not.
    public var approvedAt: Date? {
        ApprovalRule.approvedAt(approvers.map { ($0.name, $0.at) }, priority: priority)
    }
}

/// A schedule request the store refuses, Vietnamese first.
public enum ScheduleVersionError: Error, Equatable, CustomStringConvertible {
    /// No schedule was ever applied.
    case noSchedule
    /// There is no such version.
    case unknownVersion(Int, active: Int?)
    /// Only the active (latest) version can be approved.
    case notActive(version: Int, active: Int)
    /// The version has no programme or notice with these ids.
    case unknownProgrammes([String], version: Int)

    public var description: String {
        switch self {
        case .noSchedule:
            "Chưa có lịch nào được áp dụng (no schedule has been applied yet); apply one with `loa schedule apply`"
        case .unknownVersion(let version, let active):
            "Không có phiên bản lịch \(version) (no schedule version \(version))"
                + (active.map { "; the active version is \($0)" } ?? "; no schedule has been applied yet")
        case .notActive(let version, let active):
            "Phiên bản \(version) không còn hiệu lực, phiên bản đang áp dụng là \(active) (version \(version) is not the active one, \(active) is); review and approve version \(active)"
        case .unknownProgrammes(let ids, let version):
            "Phiên bản \(version) không có chương trình hay tin niêm yết (version \(version) has no programme or notice): \(ids.joined(separator: ", ")); `loa schedule status` lists them"
        }
    }
}
