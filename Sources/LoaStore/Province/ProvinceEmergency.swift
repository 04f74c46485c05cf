public import Foundation

/// An emergency the province sends to many communes at once (a typhoon warning):
/// proposed by a province officer, approved by two different province approvers,
/// then taken up by each commune's controller into its own schedule as an approved
/// emergency, logged in that commune's log with the province people's names.
public struct ProvinceEmergency: Sendable, Equatable {
    /// How many different approvers it needs: the same two-person rule as a commune's emergency.
    public static let requiredApprovers = 2
    /// The longest title and text, in characters.
    public static let titleLimit = 200
    public static let textLimit = 5_000

    public var id: String
    public var title: String
    /// Read aloud by each commune's text-to-speech.
    public var text: String
    /// The communes (site ids) it goes to.
    public var communes: [String]
    /// When it is to air.
    public var startAt: Date
    /// The province officer who proposed it.
    public var proposedBy: String
    public var proposedAt: Date
    /// Who approved it, in order.
    public var approvals: [Approval]
    /// When it was withdrawn, and by whom; nil while it stands.
    public var cancelledAt: Date?
    public var cancelledBy: String?

    public struct Approval: Sendable, Equatable {
        public var approver: String
        public var at: Date

        public init(approver: String, at: Date) {
            self.approver = approver
            self.at = at
        }
    }

    public init(
        id: String, title: String, text: String, communes: [String], startAt: Date, proposedBy: String, proposedAt: Date,
        approvals: [Approval] = [], cancelledAt: Date? = nil, cancelledBy: String? = nil
    ) {
        (self.id, self.title, self.text, self.communes, self.startAt) = (id, title, text, communes, startAt)
        (self.proposedBy, self.proposedAt, self.approvals) = (proposedBy, proposedAt, approvals)
        (self.cancelledAt, self.cancelledBy) = (cancelledAt, cancelledBy)
    }

    /// True when two different approvers approved it and it was not withdrawn.
    public var isApproved: Bool {
        cancelledAt == nil && Set(approvals.map(\.approver)).count >= Self.requiredApprovers
    }

    /// A new emergency's id, `tinh-{seconds since 1970}-{6 random hex digits}`.
    public static func newID(at now: Date) -> String {
        "tinh-\(Int(now.timeIntervalSince1970))-\(UUID().uuidString.prefix(6).lowercased())"
    }

    /// True for an id `newID(at:)` could have made (a form's hidden id is checked with it).
    public static func isWellFormedID(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "tinh" && parts[1].count <= 12 && parts[1].allSatisfy(\.isASCIIDigit)
            && parts[2].count == 6 && parts[2].allSatisfy(\.isHexDigitLowercase)
    }

    /// The id of the programme it becomes in each commune's schedule.
    public var programmeID: String { Self.programmeID(of: id) }

    /// The programme id emergency `id` has in each commune's schedule (its items: `{programme}@{hamlet}`).
    public static func programmeID(of id: String) -> String { "tinh-\(id)" }

    /// How a province person is named in a commune's schedule and log: `tỉnh:NAME`.
    public static func actor(_ name: String) -> String { "tinh:\(name)" }

    /// What is wrong with a proposal, Vietnamese first; empty when it may be stored.
    public static func problems(title: String, text: String, communes: [String]) -> [String] {
        var problems: [String] = []
        if title.isEmpty || title.count > titleLimit {
            problems.append("Tiêu đề: cần từ 1 đến \(titleLimit) ký tự (title: 1 to \(titleLimit) characters)")
        }
        if text.isEmpty || text.count > textLimit {
            problems.append("Nội dung: cần từ 1 đến \(textLimit) ký tự (text: 1 to \(textLimit) characters)")
        }
        if communes.isEmpty { problems.append("Chọn ít nhất một xã (choose at least one commune)") }
        return problems
    }
}

/// A province account: who may propose (officer), who may approve (approver), and who
/// manages the accounts (admin; an administrator alone proposes and approves nothing).
public struct ProvinceUser: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Comparable {
        case officer, approver, admin

        public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var name: String
    public var displayName: String
    public var roles: Set<Role>

    public init(name: String, displayName: String, roles: Set<Role>) {
        (self.name, self.displayName, self.roles) = (name, displayName, roles)
    }
}

/// Why the province desk refused something.
public enum ProvinceEmergencyError: Error, Equatable, CustomStringConvertible {
    case invalid([String])
    case unknownEmergency(String)
    case notAllowed(user: String, needs: ProvinceUser.Role)
    case proposerCannotApprove
    case alreadyApproved(by: String)
    case cancelled(String)

    public var description: String {
        switch self {
        case .invalid(let problems): problems.joined(separator: "; ")
        case .unknownEmergency(let id): "Không có tin khẩn cấp \(id) (no province emergency \(id))"
        case .notAllowed(let user, let role):
            "\(user) không có vai trò \(role == .approver ? "người duyệt" : "cán bộ soạn") của tỉnh (\(user) lacks the province role \(role.rawValue))"
        case .proposerCannotApprove:
            "Người soạn không tự duyệt tin của mình: cần hai người duyệt khác (the proposer cannot approve their own; two other approvers are needed)"
        case .alreadyApproved(let user): "\(user) đã duyệt tin này rồi (\(user) already approved it)"
        case .cancelled(let id): "Tin \(id) đã bị hủy (\(id) was withdrawn)"
        }
    }
}

/// The province's desk, across communes: accounts, proposals, approvals, and which
/// communes took each emergency up. (PostgreSQL only: a province shares one database.)
public protocol ProvinceDeskStore: Sendable {
    /// Adds a province account with a password (kept as a PBKDF2 hash).
    func addProvinceUser(_ user: ProvinceUser, password: String, at now: Date) async throws
    /// The account with this name and password; nil otherwise.
    func provinceUser(named name: String, password: String) async throws -> ProvinceUser?
    /// Stores a proposal by `user` (an officer).
    func propose(_ emergency: ProvinceEmergency, by user: ProvinceUser) async throws
    /// Records `user`'s approval (an approver, not the proposer, once).
    /// - Returns: the emergency as it now stands.
    func approveEmergency(id: String, by user: ProvinceUser, at now: Date) async throws -> ProvinceEmergency
    /// Withdraws an emergency: a commune that has not taken it up never will, and one
    /// that has takes it out of its schedule (its receivers stop) at its next take-up run.
    func cancelEmergency(id: String, by user: ProvinceUser, at now: Date) async throws
    func provinceEmergency(id: String) async throws -> ProvinceEmergency?
    /// The communes that took it up, by site: when, in which schedule version, and how
    /// many of their receivers have reported it ready and sounding since.
    func takeUps(of id: String) async throws -> [String: ProvinceTakeUp]
}

/// One commune's take-up of a province emergency, and how far it has reached.
public struct ProvinceTakeUp: Sendable, Equatable {
    /// The commune's schedule version that carries it.
    public var version: Int
    public var takenAt: Date
    /// Receivers that reported it ready (audio fetched and checked), started (sounding) and finished.
    public var receiversReady: Int
    public var receiversStarted: Int
    public var receiversFinished: Int

    public init(version: Int, takenAt: Date, receiversReady: Int = 0, receiversStarted: Int = 0, receiversFinished: Int = 0) {
        (self.version, self.takenAt) = (version, takenAt)
        (self.receiversReady, self.receiversStarted, self.receiversFinished) = (receiversReady, receiversStarted, receiversFinished)
    }
}

/// A commune's view of the province's emergencies: those it must take up, and the
/// record that it did (once per commune, whichever of its controllers does it).
public protocol ProvinceEmergencyInbox: Sendable {
    /// Runs `body` while no other controller of this commune takes up province
    /// emergencies (the job's lease makes that so already; this makes it so even when
    /// two hold it a moment, e.g. after a lease ran out under a stalled holder).
    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T
    /// True when an emergency waits to be taken up (`provinceEmergenciesToTakeUp`) or one
    /// taken up was withdrawn (`withdrawnProvinceEmergencies`): one question, asked on
    /// every turn of every commune, before anything is locked or read.
    func hasProvinceEmergencyWork(since oldest: Date) async throws -> Bool
    /// Approved, not withdrawn, addressed to this commune, not yet taken up by it, and
    /// not older than `oldest`.
    func provinceEmergenciesToTakeUp(since oldest: Date) async throws -> [ProvinceEmergency]
    /// Records that this commune took `id` up as schedule `version`; false when it was already recorded.
    @discardableResult
    func recordTakeUp(of id: String, version: Int, at now: Date) async throws -> Bool
    /// Those this commune took up that the province has withdrawn since, not older than `oldest`.
    func withdrawnProvinceEmergencies(since oldest: Date) async throws -> [ProvinceEmergency]
    /// A notice whenever the province approves or withdraws an emergency (some may be for
    /// other communes), so the commune looks at once instead of at its next turn.
    func provinceEmergencyNotices() -> AsyncStream<Void>
    /// Names this commune to the province (its name and hamlet count, for the province's
    /// console to choose from); called when its controller starts.
    func registerCommune(name: String, hamlets: Int, at now: Date) async throws
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isHexDigitLowercase: Bool { isASCIIDigit || ("a"..."f").contains(self) }
}
