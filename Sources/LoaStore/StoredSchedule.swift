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

/// What applying a schedule changed against the version before it.
public struct ScheduleChange: Sendable, Equatable, Codable {
    /// The version just stored.
    public var version: Int
    /// The version it replaced; nil for the first.
    public var previousVersion: Int?
    /// Programme ids new in this version, in schedule order.
    public var added: [String]
    /// Programme ids of the previous version that are gone.
    public var removed: [String]
    /// Programme ids in both whose content (`ProgrammeDigest`) differs: they need approval again.
    public var changed: [String]
    /// Programme ids in both, unchanged: they keep their approvals.
    public var unchanged: [String]
    /// True when the site settings (slots, quiet hours, volume, holidays, …) differ.
    public var siteSettingsChanged: Bool
    public var hamletsAdded: [String]
    public var hamletsRemoved: [String]
    /// Programme ids of this version that may not air yet: not (enough) approved.
    public var awaitingApproval: [String]

    /// The change from `previous` (nil: nothing before) to `current`.
    public init(version: Int, previousVersion: Int?, from previous: BroadcastSchedule?, to current: BroadcastSchedule) {
        self.version = version
        self.previousVersion = previousVersion
        let before = Dictionary(
            (previous?.programmes ?? []).map { ($0.id, ProgrammeDigest.of($0)) }, uniquingKeysWith: { first, _ in first })
        let currentIDs = Set(current.programmes.map(\.id))
        added = []
        changed = []
        unchanged = []
        for programme in current.programmes {
            switch before[programme.id] {
            case nil: added.append(programme.id)
            case ProgrammeDigest.of(programme): unchanged.append(programme.id)
            default: changed.append(programme.id)
            }
        }
        removed = (previous?.programmes ?? []).map(\.id).filter { !currentIDs.contains($0) }
        siteSettingsChanged = previous.map { $0.site != current.site } ?? false
        let hamletsBefore = Set((previous?.hamlets ?? []).map(\.id))
        let hamletsNow = Set(current.hamlets.map(\.id))
        hamletsAdded = previous == nil ? [] : current.hamlets.map(\.id).filter { !hamletsBefore.contains($0) }
        hamletsRemoved = (previous?.hamlets ?? []).map(\.id).filter { !hamletsNow.contains($0) }
        awaitingApproval = []
    }
}

/// Where a programme of a schedule version stands with its approvals.
public struct ProgrammeApproval: Sendable, Equatable, Codable {
    public var programmeID: String
    public var title: String
    public var priority: PriorityClass
    /// The content the approvals hold for (`ProgrammeDigest`).
    public var digest: String
    /// Who approved this content, and when, earliest first; each person once.
    public var approvers: [Approver]
    /// How many different people must approve: 2 for an emergency, else 1.
    public var requiredApprovers: Int
    /// True when enough different people approved: the programme may air.
    public var isApproved: Bool

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

    public init(programme: Programme, digest: String, approvers: [Approver]) {
        programmeID = programme.id
        title = programme.title
        priority = programme.priority
        self.digest = digest
        self.approvers = approvers
        requiredApprovers = Self.requiredApprovers(for: programme.priority)
        isApproved = Set(approvers.map(\.name)).count >= requiredApprovers
    }

    /// Different approvers a programme of `priority` needs: two people for an
    /// emergency (the two-person rule), one otherwise.
    public static func requiredApprovers(for priority: PriorityClass) -> Int { priority == .emergency ? 2 : 1 }
}

/// A schedule request the store refuses, Vietnamese first.
public enum ScheduleVersionError: Error, Equatable, CustomStringConvertible {
    /// No schedule was ever applied.
    case noSchedule
    /// There is no such version.
    case unknownVersion(Int, active: Int?)
    /// Only the active (latest) version can be approved.
    case notActive(version: Int, active: Int)
    /// The version has no programme with these ids.
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
            "Phiên bản \(version) không có chương trình (version \(version) has no programme): \(ids.joined(separator: ", ")); `loa schedule status` lists them"
        }
    }
}
