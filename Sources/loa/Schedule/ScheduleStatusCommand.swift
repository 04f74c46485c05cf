import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore

/// `loa schedule status`: the active version, each programme and notice with its
/// approvers and whether it may air (be posted).
struct ScheduleStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Lịch đang áp dụng và tình trạng duyệt (the active schedule version and its approvals).")

    @OptionGroup var connection: ControllerConnection

    func run() async throws {
        let active = try await connection.client().get("schedules/active", as: ScheduleAPI.ActiveSchedule.self)
        print("Phiên bản / version \(active.version), \(active.schedule.site.name): áp dụng bởi / applied by "
            + "\(active.appliedBy) lúc / at \(WireCoding.format(active.appliedAt))")
        print(Self.table(active.approvals))
        let waiting = active.approvals.filter { !$0.isApproved }.count
        print("\(active.approvals.count - waiting) được phát, \(waiting) chờ duyệt (\(active.approvals.count - waiting) may air, \(waiting) awaiting approval)")
    }

    /// Programmes and notices with their approvers and whether they may air (be posted).
    static func table(_ approvals: [ProgrammeApproval]) -> String {
        TextTable.render(
            header: ["Chương trình / tin niêm yết (programme / notice)", "Ưu tiên (priority)", "Người duyệt (approvers)",
                     "Được phát? (may air)"],
            rows: approvals.map { approval in
                let kind = approval.kind == .notice ? "[bảng tin / board] " : ""
                return [kind + approval.programmeID + " — " + approval.title, approval.priority.vietnameseName,
                 approval.approvers.map(\.name).joined(separator: ", "), state(approval)]
            })
    }

    private static func state(_ approval: ProgrammeApproval) -> String {
        let count = "\(Set(approval.approvers.map(\.name)).count)/\(approval.requiredApprovers)"
        if approval.isApproved { return "có (yes) \(count)" }
        if approval.requiredApprovers == 2 { return "cần 2 người duyệt (needs two approvers): \(count)" }
        return "chờ duyệt (awaiting approval): \(count)"
    }
}
