public import Foundation

/// A province account as the province's administrators see it.
public struct ProvinceAccount: Sendable, Equatable {
    public var user: ProvinceUser
    public var createdAt: Date
    /// The administrator who made it; nil when it was made at the command line.
    public var createdBy: String?
    /// When it was disabled (it cannot sign in, its sessions ended), and by whom.
    public var disabledAt: Date?
    public var disabledBy: String?

    public init(user: ProvinceUser, createdAt: Date, createdBy: String? = nil, disabledAt: Date? = nil, disabledBy: String? = nil) {
        (self.user, self.createdAt, self.createdBy, self.disabledAt, self.disabledBy) = (user, createdAt, createdBy, disabledAt, disabledBy)
    }

    /// True while it may sign in.
    public var isActive: Bool { disabledAt == nil }
}

/// The province's accounts, administered on the web by its administrators
/// (`ProvinceUser.Role.admin`): added, disabled and enabled again, given a new password or
/// other roles.
/// Accounts are never deleted: the names of proposers and approvers stay on record; every
/// change is written to the province's audit trail with who made it, in its transaction.
public protocol ProvinceAccountStore: Sendable {
    /// Every account, by name.
    func provinceAccounts() async throws -> [ProvinceAccount]
    /// Adds an account made by the administrator `admin` (nil at the command line).
    /// - Throws: `ProvinceEmergencyError.invalid` naming what is wrong (name, roles, password, a name taken).
    func addProvinceUser(_ user: ProvinceUser, password: String, by admin: String?, at now: Date) async throws
    /// Disables `name`: it cannot sign in from now on and its sessions end.
    /// - Throws: `ProvinceAccountError` for an unknown name, one's own account, or the last active administrator.
    func disableProvinceUser(_ name: String, by admin: String, at now: Date) async throws
    /// Lets a disabled account sign in again.
    func enableProvinceUser(_ name: String, by admin: String, at now: Date) async throws
    /// Gives `name` a new password; its sessions end.
    /// - Throws: `ProvinceEmergencyError.invalid` when the password is too weak; `ProvinceAccountError.unknown`.
    func setProvinceUserPassword(_ name: String, password: String, by admin: String, at now: Date) async throws
    /// Gives `name` these roles in place of its own; they hold from its next page.
    /// - Throws: `ProvinceEmergencyError.invalid` for no role; `ProvinceAccountError` for an unknown
    ///   name, one's own account, or taking the role away from the last active administrator.
    func setProvinceUserRoles(_ name: String, roles: Set<ProvinceUser.Role>, by admin: String, at now: Date) async throws
    /// The latest `limit` lines of the province's audit trail of this kind, newest first.
    func provinceAccountAudit(_ kind: ProvinceAuditKind, limit: Int) async throws -> [ConsoleAuditEntry]
}

/// The two parts of the province's audit trail.
public enum ProvinceAuditKind: Sendable, CaseIterable {
    /// Accounts added, disabled, enabled, given a password or roles.
    case accountChanges
    /// Sign-ins, failed sign-ins and sign-outs, with the address they came from.
    case signIns

    /// The actions of this kind.
    public var actions: Set<ConsoleAuditEntry.Action> {
        switch self {
        case .accountChanges: [.userAdded, .userDisabled, .userEnabled, .passwordSet, .rolesSet]
        case .signIns: [.loginSucceeded, .loginFailed, .logout]
        }
    }
}

/// Why an account change was refused.
public enum ProvinceAccountError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case ownAccount
    case ownRoles
    case lastAdministrator

    public var description: String {
        switch self {
        case .unknown(let name): "Không có tài khoản \(name) (no account \(name))"
        case .ownAccount: "Không tự khóa tài khoản của mình (you cannot disable your own account)"
        case .ownRoles: "Không tự đổi vai trò của mình (you cannot change your own roles)"
        case .lastAdministrator:
            "Phải còn ít nhất một quản trị viên đang hoạt động (at least one active administrator must remain)"
        }
    }
}
