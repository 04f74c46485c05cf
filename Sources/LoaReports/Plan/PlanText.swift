import Foundation
public import LoaDomain

/// A plan as a culture officer reads it: day by day, session by session, what
/// airs when and in which order, how full each session is, then what does not
/// fit or breaks a rule, and the law's checks. Hamlets whose day is the same
/// are shown together, so six hamlets do not make six copies of one list.
public struct PlanText: Sendable {
    public let planner: Planner

    public init(planner: Planner) { self.planner = planner }

    /// The whole plan as lines of text, Vietnamese first.
    public func render(_ plan: Plan, checks: [LegalCheck]) -> String {
        let schedule = planner.schedule
        var lines: [String] = []
        lines.append("Kế hoạch phát thanh \(schedule.site.name) — \(plan.days) ngày từ \(dayName(plan.from))")
        lines.append("(broadcast plan of \(schedule.site.id), \(plan.days) day(s) from \(plan.from), time zone \(schedule.site.timeZone))")
        let byDay = Dictionary(grouping: plan.occurrences, by: \.date)
        let fills = Dictionary(grouping: plan.slotFills, by: { DayHamlet(date: $0.date, hamlet: $0.hamlet) })
        let findings = Dictionary(grouping: plan.findings, by: \.date)
        for offset in 0..<plan.days {
            let date = plan.from.adding(days: offset)
            lines.append("")
            lines.append(dayName(date))
            let airings = byDay[date] ?? []
            if airings.isEmpty && (findings[date] ?? []).isEmpty {
                lines.append("  Không có buổi phát (nothing airs)")
            } else {
                lines += dayLines(date: date, airings: airings, fills: fills)
                for finding in findings[date] ?? [] {
                    lines.append("  ⚠ \(finding.message.vi)")
                    lines.append("    (\(finding.message.en))")
                }
            }
            lines += noticeLines(on: date)
        }
        lines.append("")
        lines += checkLines(checks)
        return lines.joined(separator: "\n") + "\n"
    }

    private struct DayHamlet: Hashable {
        var date: LocalDate
        var hamlet: Int
    }

    /// The day's sessions, with hamlets of identical lists grouped.
    private func dayLines(date: LocalDate, airings: [Occurrence], fills: [DayHamlet: [SlotFill]]) -> [String] {
        let schedule = planner.schedule
        let perHamlet = Dictionary(grouping: airings, by: \.hamlet)
        // Hamlets grouped by what their day looks like (same programmes at the same times, same fills).
        var groups: [(hamlets: [Int], lines: [String])] = []
        for hamlet in schedule.hamlets.indices {
            let body = hamletDayLines(perHamlet[hamlet] ?? [], fills: fills[DayHamlet(date: date, hamlet: hamlet)] ?? [])
            if let index = groups.firstIndex(where: { $0.lines == body }) {
                groups[index].hamlets.append(hamlet)
            } else {
                groups.append(([hamlet], body))
            }
        }
        var lines: [String] = []
        for group in groups where !group.lines.isEmpty {
            let names = group.hamlets.map { schedule.hamlets[$0].name }
            let label = group.hamlets.count == schedule.hamlets.count ? "Tất cả các thôn (all hamlets)" : names.joined(separator: ", ")
            lines.append("  \(label):")
            lines += group.lines.map { "    " + $0 }
        }
        return lines
    }

    private func hamletDayLines(_ airings: [Occurrence], fills: [SlotFill]) -> [String] {
        let schedule = planner.schedule
        var lines: [String] = []
        for fill in fills {
            let slot = schedule.site.slots[fill.slot]
            let inSlot = airings.filter { $0.slot == fill.slot }
            lines.append("\(slot.name) \(slot.start)–\(slot.end): đã dùng \(minutes(fill.usedSeconds)) / \(minutes(fill.capacitySeconds)) (used)"
                + (fill.overflow.isEmpty ? "" : "; không vừa (overflow): " + fill.overflow.map { schedule.programmes[$0].title }.joined(separator: ", ")))
            if inSlot.isEmpty { lines.append("  (trống — empty)") }
            lines += inSlot.map { "  " + airingLine($0) }
        }
        let fixed = airings.filter { $0.slot == nil }
        if !fixed.isEmpty {
            lines.append("Giờ cố định (fixed times):")
            lines += fixed.map { "  " + airingLine($0) }
        }
        return lines
    }

    private func airingLine(_ occurrence: Occurrence) -> String {
        let programme = planner.schedule.programmes[occurrence.programme]
        let start = occurrence.start.description.padding(toLength: 8, withPad: " ", startingAt: 0)
        let priority = "[\(occurrence.priority.vietnameseName)]".padding(toLength: 14, withPad: " ", startingAt: 0)
        return "\(start) \(priority) \(programme.title) — \(minutes(occurrence.durationSeconds)), \(programme.category.vietnameseName.lowercased())"
    }

    /// The notices the boards show on `date`, with where and until when.
    private func noticeLines(on date: LocalDate) -> [String] {
        let schedule = planner.schedule
        let shown = schedule.notices.filter { $0.displayFrom <= date && date <= $0.displayUntil }
        guard !shown.isEmpty else { return [] }
        var lines = ["  Bảng tin (notice boards):"]
        for notice in shown {
            let hamlets = schedule.hamletIDs(of: notice.targets)
            let place = hamlets.count == schedule.hamlets.count && hamlets.count > 1
                ? "tất cả các thôn" : hamlets.compactMap { id in schedule.hamlets.first { $0.id == id }?.name }.joined(separator: ", ")
            lines.append("    \(notice.title) — \(place); niêm yết đến \(notice.displayUntil.vietnameseDescription)"
                + (date == notice.displayFrom ? " (ngày đầu — first day)" : ""))
        }
        return lines
    }

    private func checkLines(_ checks: [LegalCheck]) -> [String] {
        guard !checks.isEmpty else { return ["Kiểm tra theo luật: không có tin công khai hay thông báo họp (legal checks: nothing to check)"] }
        var lines = ["Kiểm tra theo luật (legal checks):"]
        for check in checks {
            let programme = planner.schedule.programmes[check.programme]
            let mark = switch check.outcome {
            case .passed: "✓ đạt (passed)"
            case .failed: "✗ KHÔNG ĐẠT (failed)"
            case .notCovered: "? chưa đủ ngày để xét (the plan does not cover it)"
            }
            lines.append("  \(mark): \(programme.title)")
            lines.append("    \(check.rule.vi)")
            lines.append("    (\(check.rule.en))")
            for failure in check.failures {
                lines.append("    – \(failure.message.vi) (\(failure.message.en))")
            }
        }
        return lines
    }

    /// "Thứ Hai 30/11/2026".
    private func dayName(_ date: LocalDate) -> String { "\(date.weekday.vietnameseName) \(date.vietnameseDescription)" }

    /// "2 phút 30 giây", "15 phút", "45 giây".
    func minutes(_ seconds: Int) -> String {
        let (m, s) = (seconds / 60, seconds % 60)
        if m == 0 { return "\(s) giây" }
        return s == 0 ? "\(m) phút" : "\(m) phút \(s) giây"
    }
}
