public import Foundation
import LoaProtocol

/// What a console or API user may do. A user holds one or more roles.
public enum ConsoleRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Culture officer: drafts and applies schedules, uploads media, sends announcements.
    case officer
    /// Leader (Chủ tịch / Phó Chủ tịch): approves programmes before they air.
    case approver
    /// Technician: devices, their health and the playback log.
    case `operator`
    /// Supervisor: reads logs and reports, changes nothing.
    case auditor
    /// Manages users; the bootstrap token (`api-token`) is the `admin` user.
    case admin

    /// The name a commune user reads.
    public var vietnameseName: String {
        switch self {
        case .officer: "Cán bộ soạn lịch"
        case .approver: "Lãnh đạo duyệt"
        case .operator: "Kỹ thuật viên"
        case .auditor: "Giám sát"
        case .admin: "Quản trị"
        }
    }

    public static func < (lhs: ConsoleRole, rhs: ConsoleRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A person who uses the console or the API with a bearer token of their own.
/// The token itself is never stored: only its SHA-256 (`ConsoleToken.hash`).
public struct ConsoleUser: Sendable, Equatable {
    /// Id-like name (`Identifier`), e.g. `can-bo-vh`; approvals and the log name users by it.
    public var name: String
    /// The person's name as written, e.g. "Nguyễn Văn A".
    public var displayName: String
    public var roles: Set<ConsoleRole>
    public var createdAt: Date
    /// When the user was disabled; their token is refused from then on.
    public var disabledAt: Date?

    public init(name: String, displayName: String, roles: Set<ConsoleRole>, createdAt: Date, disabledAt: Date? = nil) {
        self.name = name
        self.displayName = displayName
        self.roles = roles
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    /// The roles in their fixed order (officer, approver, operator, auditor, admin).
    public var sortedRoles: [ConsoleRole] { roles.sorted() }

    /// True until the user is disabled.
    public var isActive: Bool { disabledAt == nil }

    /// The name the bootstrap token's user goes by.
    public static let bootstrapAdminName = "admin"

    /// The user the bootstrap token (`api-token` in the data folder) stands for: role `admin` only.
    public static let bootstrapAdmin = ConsoleUser(
        name: bootstrapAdminName, displayName: "Quản trị hệ thống (bootstrap token)", roles: [.admin],
        createdAt: Date(timeIntervalSince1970: 0))
}

/// Console users' bearer tokens: 256 random bits in lowercase hex, stored as SHA-256.
public enum ConsoleToken {
    /// A new random token (64 hex digits).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// What the store keeps of `token`: lowercase hex SHA-256 of its UTF-8 bytes.
    public static func hash(_ token: String) -> String { MediaDigest.sha256(Data(token.utf8)) }
}

/// A user change the store refuses, Vietnamese first.
public enum ConsoleUserError: Error, Equatable, CustomStringConvertible {
    case invalidName(String, problem: String)
    case reservedName(String)
    case noRole(String)
    case duplicateName(String)
    case unknownUser(String)
    case weakPassword(String, problem: String)
    case badPasswordHash

    public var description: String {
        switch self {
        case .invalidName(let name, let problem):
            "Tên người dùng không hợp lệ (invalid user name) '\(name)': \(problem)"
        case .reservedName(let name):
            "Tên '\(name)' dành cho mã khóa khởi tạo (the name '\(name)' belongs to the bootstrap token in api-token); choose another"
        case .noRole(let name):
            "Người dùng '\(name)' cần ít nhất một vai trò (needs at least one role: \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .duplicateName(let name):
            "Đã có người dùng '\(name)' (a user named '\(name)' exists); disable it or choose another name"
        case .unknownUser(let name):
            "Không có người dùng '\(name)' (no user named '\(name)'); `loa user list` shows them"
        case .weakPassword(let name, let problem):
            "Mật khẩu của '\(name)' không dùng được (password refused): \(problem)"
        case .badPasswordHash:
            "Mật khẩu lưu trữ bị hỏng (the stored password hash cannot be read); set it again with `loa user password`"
        }
    }
}
