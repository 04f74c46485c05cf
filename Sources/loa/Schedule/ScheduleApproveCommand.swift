import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaStore

/// `loa schedule approve`: an approver approves programmes of the active
/// schedule version (all of them, or those named).
struct ScheduleApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Duyệt chương trình của lịch đang áp dụng (approve programmes of the active schedule version).")

    @Option(help: "The version you reviewed (default: the active one, shown before approving)")
    var version: Int?
    @Option(help: "Programme id to approve; repeat for several (default: every programme of the version)")
    var programme: [String] = []
    @OptionGroup var connection: ControllerConnection

    func run() async throws {
        let client = try connection.client()
        let version: Int
        if let chosen = self.version {
            version = chosen
        } else {
            let active = try await client.get("schedules/active", as: ScheduleAPI.ActiveSchedule.self)
            version = active.version
            let titles = active.schedule.programmes
                .filter { programme.isEmpty || programme.contains($0.id) }
                .map { "\($0.id) — \($0.title)" }
            print("Phiên bản đang áp dụng / active version \(version), áp dụng bởi / applied by \(active.appliedBy):")
            for title in titles { print("  \(title)") }
        }
        let status = try await client.post(
            "schedules/\(version)/approvals", json: ScheduleAPI.ApprovalRequest(programmes: programme.isEmpty ? nil : programme),
            as: ScheduleAPI.ApprovalStatus.self)
        print("Đã duyệt / approved (phiên bản / version \(version)).")
        print(ScheduleStatusCommand.table(status.programmes))
    }
}
