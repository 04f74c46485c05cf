public import Foundation
import Hummingbird
public import LoaStore

extension ControllerRouter {
    /// Console users for admins under `/api/v1`: list, add (the token is shown once,
    /// in the answer), disable; and the console's audit trail (`GET audit`). The
    /// trail names the admin who acted, as `loa user …` names `loa-cli`.
    static func addUserRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("users", needs: .manageUsers) { _, _, _ -> Response in
            try await json(controller.store.users().map(UserAPI.User.init))
        }

        api.post("users", needs: .manageUsers) { request, _, admin -> Response in
            let wanted = try await jsonBody(UserAPI.AddRequest.self, of: request, upTo: 64 * 1024)
            var roles = Set<ConsoleRole>()
            for name in wanted.roles {
                guard let role = ConsoleRole(rawValue: name) else {
                    throw HTTPError(
                        .badRequest,
                        message: "Vai trò '\(name)' không có (role '\(name)' is not one of: \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                roles.insert(role)
            }
            let added = try await refusals {
                try await controller.store.addUser(
                    name: wanted.name, displayName: wanted.displayName, roles: roles, password: wanted.password,
                    by: admin.name, at: controller.clock())
            }
            return try json(UserAPI.Added(user: .init(added.user), token: added.token), status: .created)
        }

        api.post("users/:name/disable", needs: .manageUsers) { _, context, admin -> Response in
            let name = try context.parameters.require("name")
            let user = try await refusals { try await controller.store.disableUser(named: name, by: admin.name, at: controller.clock()) }
            return try json(UserAPI.User(user))
        }

        api.get("audit", needs: .readAudit) { request, _, _ -> Response in
            let limit = request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 100
            guard (1...10_000).contains(limit) else {
                throw HTTPError(.badRequest, message: "limit phải từ 1 đến 10000 (limit must be 1 to 10000)")
            }
            return try await json(controller.store.auditTrail(limit: limit).map(UserAPI.AuditEntry.init))
        }
    }
}

/// The bodies of the user routes (`UserRoutes`).
public enum UserAPI {
    /// A console user as the API shows it (never a token or password hash).
    public struct User: Sendable, Codable, Equatable {
        public var name: String
        public var displayName: String
        /// Role names in their fixed order.
        public var roles: [String]
        public var createdAt: Date
        public var disabledAt: Date?

        public init(_ user: ConsoleUser) {
            name = user.name
            displayName = user.displayName
            roles = user.sortedRoles.map(\.rawValue)
            createdAt = user.createdAt
            disabledAt = user.disabledAt
        }
    }

    /// `POST /api/v1/users`.
    public struct AddRequest: Sendable, Codable, Equatable {
        public var name: String
        public var displayName: String
        public var roles: [String]
        /// A console password (at least 12 characters); absent for a token-only user.
        public var password: String?

        public init(name: String, displayName: String, roles: [String], password: String? = nil) {
            self.name = name
            self.displayName = displayName
            self.roles = roles
            self.password = password
        }
    }

    /// The answer to `POST /api/v1/users`: the token is shown only here.
    public struct Added: Sendable, Codable, Equatable {
        public var user: User
        public var token: String
    }

    /// One line of the audit trail.
    public struct AuditEntry: Sendable, Codable, Equatable {
        public var id: Int64
        public var at: Date
        public var action: String
        /// What the action is, Vietnamese first.
        public var actionText: String
        public var actor: String?
        public var subject: String?
        public var detail: String?
        public var clientAddress: String?

        public init(_ entry: ConsoleAuditEntry) {
            id = entry.id
            at = entry.at
            action = entry.action.rawValue
            actionText = entry.action.text
            actor = entry.actor
            subject = entry.subject
            detail = entry.detail
            clientAddress = entry.clientAddress
        }
    }
}
