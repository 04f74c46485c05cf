public import Foundation
public import LoaDomain
public import LoaStore

/// The bodies of the schedule routes (`ScheduleRoutes`), shared with the CLI.
public enum ScheduleAPI {
    /// `POST /api/v1/schedules`: a schedule and the files it was read from.
    public struct ApplyRequest: Sendable, Codable, Equatable {
        public var schedule: BroadcastSchedule
        /// File name → text of the schedule files, kept with the version.
        public var sources: [String: String]?

        public init(schedule: BroadcastSchedule, sources: [String: String]? = nil) {
            self.schedule = schedule
            self.sources = sources
        }
    }

    /// `POST /api/v1/schedules/{version}/approvals`: what to approve.
    public struct ApprovalRequest: Sendable, Codable, Equatable {
        /// Programme ids; every programme of the version when absent.
        public var programmes: [String]?

        public init(programmes: [String]? = nil) { self.programmes = programmes }
    }

    /// `POST /api/v1/schedules/{version}/rejections`: an approver sends one waiting
    /// programme or notice back to the officer, with why (`ProgrammeDesk.reject`).
    public struct RejectionRequest: Sendable, Codable, Equatable {
        public var programme: String
        /// 1 to `ProgrammeDesk.rejectionReasonLimit` characters; the officer reads it on the dashboard.
        public var reason: String

        public init(programme: String, reason: String) { (self.programme, self.reason) = (programme, reason) }
    }

    /// The approvals of one version (`GET`/`POST /api/v1/schedules/{version}/approvals`).
    public struct ApprovalStatus: Sendable, Codable, Equatable {
        public var version: Int
        /// Every programme of the version, in schedule order.
        public var programmes: [ProgrammeApproval]

        public init(version: Int, programmes: [ProgrammeApproval]) {
            self.version = version
            self.programmes = programmes
        }
    }

    /// `GET /api/v1/schedules/active`: the active version with its approvals.
    public struct ActiveSchedule: Sendable, Codable, Equatable {
        public var version: Int
        public var appliedAt: Date
        public var appliedBy: String
        public var digest: String
        public var schedule: BroadcastSchedule
        public var approvals: [ProgrammeApproval]

        public init(_ stored: StoredSchedule, approvals: [ProgrammeApproval]) {
            version = stored.version
            appliedAt = stored.appliedAt
            appliedBy = stored.appliedBy
            digest = stored.digest
            schedule = stored.schedule
            self.approvals = approvals
        }
    }

    /// `GET /api/v1/me`: who the token belongs to.
    public struct Caller: Sendable, Codable, Equatable {
        public var name: String
        public var displayName: String
        /// Role names in their fixed order.
        public var roles: [String]
        /// The session's CSRF token, when the caller came with a session cookie.
        public var csrfToken: String?

        public init(_ user: ConsoleUser, csrfToken: String? = nil) {
            name = user.name
            displayName = user.displayName
            roles = user.sortedRoles.map(\.rawValue)
            self.csrfToken = csrfToken
        }
    }
}
