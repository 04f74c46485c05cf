public import Foundation

/// One line of the console's audit trail: who did what to whom, when, from where.
public struct ConsoleAuditEntry: Sendable, Equatable {
    /// What happened.
    public enum Action: String, Sendable, CaseIterable {
        case userAdded = "user-added"
        case userDisabled = "user-disabled"
        case userEnabled = "user-enabled"
        case passwordSet = "password-set"
        case rolesSet = "roles-set"
        case loginSucceeded = "login-succeeded"
        case loginFailed = "login-failed"
        case logout
        case keyRotationScheduled = "key-rotation-scheduled"
        case keyRotated = "key-rotated"
        case programmeRejected = "programme-rejected"

        /// What it is, Vietnamese first.
        public var text: String {
            switch self {
            case .userAdded: "thêm người dùng (user added)"
            case .userDisabled: "khóa người dùng (user disabled)"
            case .userEnabled: "mở khóa người dùng (user enabled)"
            case .passwordSet: "đặt mật khẩu (password set)"
            case .rolesSet: "đổi vai trò (roles changed)"
            case .loginSucceeded: "đăng nhập (login)"
            case .loginFailed: "đăng nhập sai (login failed)"
            case .logout: "đăng xuất (logout)"
            case .keyRotationScheduled: "hẹn đổi khóa ký của máy chủ (controller key rotation scheduled)"
            case .keyRotated: "đã đổi khóa ký của máy chủ (controller key rotated)"
            case .programmeRejected: "từ chối duyệt chương trình (programme rejected)"
            }
        }
    }

    /// Row number, rising.
    public var id: Int64
    public var at: Date
    public var action: Action
    /// Who did it: a user name, `loa-cli` for the command line on the controller's host; nil when unknown.
    public var actor: String?
    /// Whom it concerns: the user added, disabled or whose password was set; the name tried at a
    /// failed login; the new verifier key of a key rotation; the programme rejected.
    public var subject: String?
    /// More: the roles given (or changed to), why a login failed; a rejected programme's title and, on the next line, the reason.
    public var detail: String?
    /// The client's IP address, for logins and logouts over HTTP.
    public var clientAddress: String?

    public init(
        id: Int64 = 0, at: Date, action: Action, actor: String? = nil, subject: String? = nil, detail: String? = nil,
        clientAddress: String? = nil
    ) {
        self.id = id
        self.at = at
        self.action = action
        self.actor = actor
        self.subject = subject
        self.detail = detail
        self.clientAddress = clientAddress
    }

    /// The actor the command line records for changes made on the controller's host.
    public static let commandLineActor = "loa-cli"
}
