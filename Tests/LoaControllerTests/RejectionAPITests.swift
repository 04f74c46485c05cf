import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaStore
import Testing

/// `POST /api/v1/schedules/{version}/rejections`: what the console's "Từ chối" does, for
/// approvers who work from the API or a script.
@Suite("Rejecting a programme through the API (no network)")
struct RejectionAPITests {
    @Test("an approver rejects with a reason (201, a new version without it); no reason is 422; an officer may not (403)")
    func rejectThroughTheAPI() async throws {
        let routed = try await RoutedController()
        defer { routed.directory.remove() }
        try await routed.controller.programmes.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh")
        let leader = try await routed.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        let officer = try await routed.token(for: "can-bo-vh", displayName: "Nguyễn Thị Hoa", roles: [.officer])
        let path = "/api/v1/schedules/1/rejections"

        let byOfficer = try await routed.client.post(path, bearer: officer, json: ScheduleAPI.RejectionRequest(programme: "canh-bao-lu", reason: "Cũ"))
        #expect(byOfficer.status == 403, "\(byOfficer.text)")
        let noReason = try await routed.client.post(path, bearer: leader, json: ScheduleAPI.RejectionRequest(programme: "canh-bao-lu", reason: " "))
        #expect(noReason.status == 422 && noReason.text.contains("Lý do từ chối"), "\(noReason.text)")
        let rejected = try await routed.client.post(
            path, bearer: leader, json: ScheduleAPI.RejectionRequest(programme: "canh-bao-lu", reason: "Tin cũ, đã qua ngày."))
        #expect(rejected.status == 201, "\(rejected.text)")
        let active = try #require(try await routed.controller.store.activeSchedule())
        #expect(active.version == 2 && !active.schedule.programmes.contains { $0.id == "canh-bao-lu" } && active.appliedBy == "chu-tich")
        #expect(try await routed.controller.programmes.rejections().map(\.reason) == ["Tin cũ, đã qua ngày."])
    }
}
