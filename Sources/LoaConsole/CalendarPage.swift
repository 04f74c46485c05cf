import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// A week of broadcast slots per hamlet, from the planner on the active schedule:
/// what each session holds (approved or waiting), how full it is, and the
/// fixed-time airings of each day.
struct CalendarPage {
    let context: ConsoleContext
    let request: Request

    func render() async throws -> Response {
        let controller = context.controller
        guard let active = try await controller.store.activeSchedule() else {
            return Layout.page(context, title: context(.calendar), current: .calendar, body: "<p class=\"notice\">\(context(.noSchedule))</p>")
        }
        let schedule = active.schedule
        let planner = try Planner(schedule: schedule)
        let today = planner.clock.local(controller.now).date
        let asked = request.uri.queryParameters.get("from").flatMap(LocalDate.init(iso:)) ?? today
        let monday = asked.adding(days: -(asked.weekday.number - 1))
        let plan = planner.plan(from: monday, days: 7)
        let approved = try await controller.store.approvedProgrammeIDs(version: active.version)
        let days = (0..<7).map { monday.adding(days: $0) }
        let slots = schedule.site.slots.indices.sorted { schedule.site.slots[$0].start < schedule.site.slots[$1].start }
        var sections: [HTML] = []
        for (h, hamlet) in schedule.hamlets.enumerated() {
            let occurrences = plan.occurrences.filter { $0.hamlet == h }
            var rows: [HTML] = []
            for slot in slots {
                let definition = schedule.site.slots[slot]
                let cells = days.map { day -> HTML in
                    let here = occurrences.filter { $0.date == day && $0.slot == slot }
                    guard let fill = plan.slotFills.first(where: { $0.hamlet == h && $0.date == day && $0.slot == slot }) else {
                        return "<td class=\"off\"></td>"
                    }
                    return "<td data-label=\"\(dayLabel(day))\">\(items(here, schedule: schedule, approved: approved))<div class=\"muted\">\(context(.used)) \(context.duration(seconds: fill.usedSeconds)) / \(context.duration(seconds: fill.capacitySeconds))</div></td>"
                }
                rows.append("<tr><th>\(definition.name)<br><span class=\"muted\">\(definition.start.description)–\(definition.end.description)</span></th>\(cells)</tr>")
            }
            let fixed = days.map { day -> HTML in
                "<td data-label=\"\(dayLabel(day))\">\(items(occurrences.filter { $0.date == day && $0.slot == nil }, schedule: schedule, approved: approved))</td>"
            }
            rows.append("<tr><th>\(context(.fixedTimes))</th>\(fixed)</tr>")
            sections.append("""
                <section><h2>\(hamlet.name)</h2><table class="data calendar"><thead><tr><th></th>\(days.map { day -> HTML in
                    "<th\(day == today ? HTML(" class=\"today\"") : HTML(""))>\(context.name(day.weekday))<br>\(context.date(day))</th>" })</tr></thead>
                <tbody>\(rows)</tbody></table></section>
                """)
        }
        let navigation: HTML = """
            <p class="actions"><a href="\(ConsolePage.calendar.path)?from=\(monday.adding(days: -7).description)">\(context(.previousWeek))</a>
            <strong>\(context(.week)) \(context.date(monday)) – \(context.date(monday.adding(days: 6)))</strong>
            <a href="\(ConsolePage.calendar.path)?from=\(monday.adding(days: 7).description)">\(context(.nextWeek))</a></p>
            """
        return Layout.page(context, title: context(.calendar), current: .calendar, body: "\(navigation)\(sections)")
    }

    private func dayLabel(_ day: LocalDate) -> String { "\(context.name(day.weekday)) \(context.date(day))" }

    private func items(_ occurrences: [Occurrence], schedule: BroadcastSchedule, approved: Set<String>) -> HTML {
        HTML(joining: occurrences.map { occurrence in
            let programme = schedule.programmes[occurrence.programme]
            let style = programme.priority == .emergency ? "bad" : approved.contains(programme.id) ? "ok" : "warn"
            return "<div class=\"slot-item\"><span class=\"badge \(style)\">\(occurrence.start.description)</span> \(programme.title)</div>"
        })
    }
}
