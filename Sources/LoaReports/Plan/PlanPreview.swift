public import Foundation
public import LoaDomain

/// A schedule's plan for some days with the law's checks, as `loa schedule plan`
/// prints it and `POST /api/v1/schedules/plan` answers it.
public struct PlanPreview: Sendable {
    public let planner: Planner
    /// The days asked for.
    public let plan: Plan
    /// The legal checks, judged over every day they are about, not only the days shown.
    public let checks: [LegalCheck]

    /// Plans `schedule` for `days` days from `from` (today on the site's clock at `now` when nil).
    public init(schedule: BroadcastSchedule, from: LocalDate?, days: Int, now: Date) throws(PlannerError) {
        planner = try Planner(schedule: schedule)
        let first = from ?? planner.clock.local(now).date
        plan = planner.plan(from: first, days: days)
        if let window = LegalChecks.window(for: schedule) {
            let start = min(window.from, first)
            let end = max(window.from.adding(days: window.days - 1), plan.through)
            checks = LegalChecks.evaluate(planner.plan(from: start, days: start.days(to: end) + 1), of: planner)
        } else {
            checks = []
        }
    }

    /// The plan and checks spelled out for programs.
    public var document: PlanDocument { PlanDocument(plan: plan, checks: checks, planner: planner) }

    /// `schedule` with only `hamlet`; nil when the schedule has no such hamlet.
    public static func restricting(_ schedule: BroadcastSchedule, to hamlet: String) -> BroadcastSchedule? {
        guard schedule.hamlets.contains(where: { $0.id == hamlet }) else { return nil }
        var restricted = schedule
        restricted.hamlets = schedule.hamlets.filter { $0.id == hamlet }
        return restricted
    }
}
