import Foundation
import Hummingbird
import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// Schedule versions and approvals under `/api/v1`, and `/api/v1/me`.
    static func addScheduleRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("me", needs: .whoAmI) { _, context, user in
            try json(ScheduleAPI.Caller(user, csrfToken: context.session?.csrfToken))
        }

        api.post("schedules", needs: .applySchedule) { request, _, user -> Response in
            let application = try await jsonBody(ScheduleAPI.ApplyRequest.self, of: request, upTo: 8 * 1024 * 1024)
            let change = try await refusals {
                try await controller.programmes.applySchedule(application.schedule, sourceFiles: application.sources ?? [:], by: user.name)
            }
            return try json(change, status: .created)
        }

        api.get("schedules/active", needs: .readSchedules) { _, _, _ -> Response in
            guard let active = try await controller.store.activeSchedule() else {
                throw HTTPError(.notFound, message: ScheduleVersionError.noSchedule.description)
            }
            return try await json(ScheduleAPI.ActiveSchedule(active, approvals: try controller.store.approvalStatus(version: active.version)))
        }

        api.get("schedules/:version/approvals", needs: .readSchedules) { _, context, _ -> Response in
            let version = try versionParameter(context)
            let status = try await refusals { try await controller.store.approvalStatus(version: version) }
            return try json(ScheduleAPI.ApprovalStatus(version: version, programmes: status))
        }

        api.post("schedules/:version/approvals", needs: .approve) { request, context, user -> Response in
            let version = try versionParameter(context)
            let wanted = try await jsonBody(
                ScheduleAPI.ApprovalRequest.self, of: request, upTo: 1024 * 1024, emptyIs: ScheduleAPI.ApprovalRequest())
            let status = try await refusals {
                try await controller.programmes.approve(version: version, programmeIDs: wanted.programmes, by: user.name)
            }
            return try json(ScheduleAPI.ApprovalStatus(version: version, programmes: status), status: .created)
        }

        api.post("schedules/:version/rejections", needs: .approve) { request, context, user -> Response in
            let version = try versionParameter(context)
            let rejection = try await jsonBody(ScheduleAPI.RejectionRequest.self, of: request, upTo: 64 * 1024)
            let change = try await refusals {
                try await controller.programmes.reject(
                    version: version, programme: rejection.programme, reason: rejection.reason, by: user.name)
            }
            return try json(change, status: .created)
        }
    }

    private static func versionParameter(_ context: ControllerRequestContext) throws -> Int {
        guard let version = context.parameters.get("version", as: Int.self) else {
            throw HTTPError(.badRequest, message: "Số phiên bản phải là số nguyên (the version must be a whole number)")
        }
        return version
    }
}
