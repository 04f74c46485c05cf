import Hummingbird
public import LoaStore

/// What the API's routes do and which roles may do each: the one table of who
/// may do what (docs/security.md, "Console and API users", mirrors it).
public enum APIPermission: String, Sendable, CaseIterable {
    case uploadMedia, announce, readEvents, readDevices, signCheckpoint
    case applySchedule, readSchedules, approve, whoAmI, rotateKey
    case readHamlets, planSchedule, readReports, manageUsers, readAudit, readMetrics, readDelivery, speakLive

    /// The roles that may; nil when any signed-in user may.
    public var roles: Set<ConsoleRole>? {
        switch self {
        case .uploadMedia: [.officer, .approver, .admin]
        // A one-off announcement airs without a separate approval: only a leader sends it.
        case .announce: [.approver]
        case .readEvents: [.operator, .auditor, .admin]
        case .readDevices, .signCheckpoint: [.operator, .admin]
        case .applySchedule: [.officer]
        case .approve: [.approver]
        // A leader speaks live: the one who starts it is accountable for it (docs/relay.md).
        case .speakLive: [.approver]
        case .readSchedules, .whoAmI: nil
        // The dashboard of every role shows the hamlets and whether their receivers answer.
        case .readHamlets: nil
        // A preview stores nothing: those who write schedules and those who approve them.
        case .planSchedule: [.officer, .approver]
        // Reports and the Law 10/2022 section: the officer's duty, the leader's and the supervisor's.
        case .readReports: [.officer, .approver, .auditor]
        // Logins and addresses are personal data: only the admin reads the audit trail.
        case .manageUsers, .readAudit: [.admin]
        case .readMetrics: [.operator, .admin]
        // The live view of a broadcast: those who send, approve, keep the receivers and supervise.
        case .readDelivery: [.officer, .approver, .operator, .auditor]
        case .rotateKey: [.admin]
        }
    }

    /// What it is, Vietnamese first.
    public var action: String {
        switch self {
        case .uploadMedia: "tải âm thanh lên (upload media)"
        case .announce: "gửi thông báo (send announcements)"
        case .readEvents: "xem nhật ký phát (read playback events)"
        case .readDevices: "xem thiết bị (read devices)"
        case .signCheckpoint: "ký điểm kiểm tra nhật ký (sign a log checkpoint)"
        case .applySchedule: "áp dụng lịch phát (apply a schedule)"
        case .readSchedules: "xem lịch phát (read schedules)"
        case .approve: "duyệt chương trình (approve programmes)"
        case .speakLive: "phát trực tiếp (speak live)"
        case .whoAmI: "xem tài khoản của mình (read one's own account)"
        case .readHamlets: "xem thôn và thiết bị thu (read hamlets and their receivers)"
        case .planSchedule: "xem trước kế hoạch phát (preview a schedule's plan)"
        case .readReports: "xem báo cáo phát thanh (read broadcast reports)"
        case .manageUsers: "quản lý người dùng (manage users)"
        case .readAudit: "xem nhật ký tài khoản (read the console audit trail)"
        case .readMetrics: "xem số liệu giám sát (read monitoring metrics)"
        case .readDelivery: "xem tình trạng phát một tin (read a broadcast's delivery)"
        case .rotateKey: "đổi khóa ký của máy chủ (rotate the controller's signing key)"
        }
    }

    /// The user, when `user` may do this.
    /// - Throws: `HTTPError` 401 without a user, 403 when none of their roles may.
    func authorize(_ user: ConsoleUser?) throws -> ConsoleUser {
        guard let user else { throw HTTPError(.unauthorized, message: AuthenticationMiddleware.missingToken) }
        guard let roles, user.roles.isDisjoint(with: roles) else { return user }
        let needed = roles.sorted().map(\.rawValue).joined(separator: " hoặc (or) ")
        let held = user.sortedRoles.map(\.rawValue).joined(separator: ", ")
        throw HTTPError(
            .forbidden,
            message: "'\(user.name)' (\(held)) không được \(action); cần vai trò (needs role) \(needed)")
    }
}

extension RouterMethods where Context == ControllerRequestContext {
    /// Adds a GET route that only users allowed `permission` reach; the handler gets the user.
    @discardableResult
    func get<Output: ResponseGenerator>(
        _ path: RouterPath, needs permission: APIPermission,
        use handler: @escaping @Sendable (Request, Context, ConsoleUser) async throws -> Output
    ) -> Self {
        on(path, method: .get, needs: permission, use: handler)
    }

    /// Adds a POST route that only users allowed `permission` reach; the handler gets the user.
    @discardableResult
    func post<Output: ResponseGenerator>(
        _ path: RouterPath, needs permission: APIPermission,
        use handler: @escaping @Sendable (Request, Context, ConsoleUser) async throws -> Output
    ) -> Self {
        on(path, method: .post, needs: permission, use: handler)
    }

    /// Adds a PUT route that only users allowed `permission` reach; the handler gets the user.
    @discardableResult
    func put<Output: ResponseGenerator>(
        _ path: RouterPath, needs permission: APIPermission,
        use handler: @escaping @Sendable (Request, Context, ConsoleUser) async throws -> Output
    ) -> Self {
        on(path, method: .put, needs: permission, use: handler)
    }

    private func on<Output: ResponseGenerator>(
        _ path: RouterPath, method: HTTPRequest.Method, needs permission: APIPermission,
        use handler: @escaping @Sendable (Request, Context, ConsoleUser) async throws -> Output
    ) -> Self {
        on(path, method: method) { request, context in
            try await handler(request, context, permission.authorize(context.user))
        }
    }
}
