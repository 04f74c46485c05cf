import Foundation
import Hummingbird
import LoaDomain

extension ControllerRouter {
    /// `POST /api/v1/announcements`: a one-off announcement a leader sends.
    static func addAnnouncementRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.post("announcements", needs: .announce) { request, _, _ -> Response in
            let announcementRequest = try await jsonBody(AnnouncementRequest.self, of: request, upTo: 1024 * 1024)
            // Two people for an emergency: it goes through a schedule and two approvers.
            guard announcementRequest.priority != .emergency else {
                throw HTTPError(.unprocessableContent, message: emergencyNeedsTwoApprovers)
            }
            return try json(await refusals { try await controller.announcements.send(announcementRequest) }, status: .created)
        }
    }

    /// Why a one-off emergency announcement is refused.
    static let emergencyNeedsTwoApprovers =
        "Tin khẩn cấp cần hai người duyệt: đưa vào lịch (loa schedule apply) rồi hai lãnh đạo duyệt (loa schedule approve) "
        + "(an emergency needs two approvers: apply it in a schedule, then two leaders approve it)"
}
