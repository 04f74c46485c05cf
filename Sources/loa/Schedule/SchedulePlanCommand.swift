import ArgumentParser
import Foundation
import LoaDomain
import LoaReports
import LoaScheduleFiles

/// `loa schedule plan FILE… --from DATE --days N`: what airs when in every hamlet,
/// session by session, with fill, overflow, conflicts, quiet-hour breaches and the
/// law's checks. Reads the files only: nothing is sent.
struct SchedulePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Xem trước kế hoạch phát theo ngày, buổi và thôn, kèm kiểm tra theo luật (preview the plan by day, session and hamlet, with the legal checks).")

    @Argument(help: "Schedule files (YAML) read together, or folders holding them, e.g. Schedules/*.yaml")
    var files: [String]
    @Option(help: "First day, YYYY-MM-DD (today in the site's time zone when absent)")
    var from: String?
    @Option(help: "Number of days to show")
    var days = 7
    @Option(help: "Only this hamlet (id)")
    var hamlet: String?
    @Option(help: "text (for people) or json (for programs)")
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format '\(format)' is not one of: text, json") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be between 1 and 366") }
        if let from, LocalDate(iso: from) == nil {
            throw ValidationError("--from '\(from)' is not a date; write YYYY-MM-DD, e.g. 2026-11-30")
        }
    }

    func run() async throws {
        let result = ScheduleFiles.load(files)
        guard var schedule = result.schedule, !result.hasErrors else {
            print(result.rendered)
            throw ExitCode(1)
        }
        if let hamlet {
            guard let restricted = PlanPreview.restricting(schedule, to: hamlet) else {
                throw ValidationError("--hamlet '\(hamlet)' is not in the schedule; known: \(schedule.hamlets.map(\.id).joined(separator: ", "))")
            }
            schedule = restricted
        }
        let preview = try PlanPreview(schedule: schedule, from: from.flatMap(LocalDate.init(iso:)), days: days, now: Date())
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(preview.document), as: UTF8.self))
        } else {
            print(PlanText(planner: preview.planner).render(preview.plan, checks: preview.checks), terminator: "")
        }
    }
}
