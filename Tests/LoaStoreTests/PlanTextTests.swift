import Foundation
import LoaDomain
import LoaReports
import LoaHarness
import Testing

@Suite("The plan as an officer reads it")
struct PlanTextTests {
    let media = MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1000, contentType: "audio/wav", durationMs: 5000)

    func render(from: String, days: Int) throws -> String {
        let planner = try Planner(schedule: SampleSchedule.make(media: media))
        let plan = planner.plan(from: LocalDate(iso: from)!, days: days)
        let window = try #require(LegalChecks.window(for: planner.schedule))
        let checks = LegalChecks.evaluate(planner.plan(from: window.from, days: window.days), of: planner)
        return PlanText(planner: planner).render(plan, checks: checks)
    }

    @Test("a day lists each session with its fill and airings in order; hamlets whose day differs are shown apart")
    func dayBySession() throws {
        let text = try render(from: "2026-11-30", days: 1)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let day = try #require(lines.firstIndex(of: "Thứ Hai 30/11/2026"))
        #expect(Array(lines[(day + 1)...(day + 12)]) == [
            "  Thôn Đông:",
            "    Buổi sáng 05:00–05:30: đã dùng 1 phút 10 giây / 15 phút (used)",
            "      05:00    [Thông thường] Chính quyền thân thiện, vì Nhân dân phục vụ — 1 phút, tuyên truyền",
            "      05:01:05 [Thông thường] Công khai ngân sách quý III — 5 giây, công khai",
            "    Buổi chiều 17:00–17:30: đã dùng 1 phút 50 giây / 15 phút (used)",
            "      17:00    [Ưu tiên]      Thông báo hội nghị đối thoại — 45 giây, thông báo hội nghị đối thoại",
            "      17:00:50 [Thông thường] Chính quyền thân thiện, vì Nhân dân phục vụ — 1 phút, tuyên truyền",
            "  Thôn Đoài:",
            "    Buổi sáng 05:00–05:30: đã dùng 1 phút 10 giây / 15 phút (used)",
            "      05:00    [Thông thường] Chính quyền thân thiện, vì Nhân dân phục vụ — 1 phút, tuyên truyền",
            "      05:01:05 [Thông thường] Công khai ngân sách quý III — 5 giây, công khai",
            "    Buổi chiều 17:00–17:30: đã dùng 1 phút / 15 phút (used)",
        ])
    }

    @Test("Sunday has no session; the law's checks close the plan with the rule and the dates that apply")
    func sundayAndChecks() throws {
        let text = try render(from: "2026-12-06", days: 1)
        #expect(text.contains("Chủ nhật 06/12/2026\n  Không có buổi phát (nothing airs)"))
        #expect(text.contains("  ✓ đạt (passed): Công khai ngân sách quý III\n    Điều 12 Luật 10/2022: công khai trong 5 ngày làm việc kể từ quyết định 20/11/2026, tức chậm nhất ngày 27/11/2026"))
        #expect(text.contains("  ✓ đạt (passed): Thông báo hội nghị đối thoại\n    Nghị định 59/2023"))
    }

    @Test("the days a notice is posted list it under the boards, with its hamlets and last day")
    func noticesOnTheBoards() throws {
        var schedule = SampleSchedule.make(media: media)
        schedule.notices = [Notice(
            id: "ho-ngheo", title: "Danh sách hộ nghèo năm 2027", body: "| Họ tên | Thôn |\n| Nguyễn Văn An | Đông |",
            category: .disclosure, targets: .hamlets(["thon-b"]), displayFrom: LocalDate(iso: "2026-12-01")!,
            displayUntil: LocalDate(iso: "2026-12-30")!, disclosure: Disclosure(item: 7, decisionDate: LocalDate(iso: "2026-11-27")!))]
        let planner = try Planner(schedule: schedule)
        let text = PlanText(planner: planner).render(planner.plan(from: LocalDate(iso: "2026-11-30")!, days: 2), checks: [])
        #expect(!text.components(separatedBy: "Thứ Ba 01/12/2026")[0].contains("Bảng tin"))
        #expect(text.contains("  Bảng tin (notice boards):\n    Danh sách hộ nghèo năm 2027 — Thôn Đoài; niêm yết đến 30/12/2026 (ngày đầu — first day)"))
    }
}
