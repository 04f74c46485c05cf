import ArgumentParser
import Foundation
import LoaDomain

/// `loa-bench plan`: the planner placing a year of programmes for many hamlets
/// (one core, in memory), with the law's checks on the result.
struct PlanBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Planning a year (slots, fixed times, legal checks) for 1,000 hamlets.")

    @Option(help: "Hamlets in the schedule") var hamlets = 1000
    @Option(help: "Days to plan") var days = 365
    @Option(help: "Runs; the median is reported") var runs = 5

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var hamlets: Int
        var days: Int
        var programmes: Int
        var occurrences: Int
        var slotSessions: Int
        var findings: Int
        var legalChecks: Int
        var medianPlanSeconds: Double
        var medianLegalCheckSeconds: Double
        var runs: [Double]
    }

    func run() async throws {
        guard hamlets > 0, days > 0, runs > 0 else { throw ValidationError("--hamlets, --days and --runs must be positive") }
        let schedule = Self.province(hamlets: hamlets)
        let planner = try Planner(schedule: schedule)
        let from = LocalDate(iso: "2027-01-01")!
        let clock = ContinuousClock()
        var planTimes: [Double] = []
        var checkTimes: [Double] = []
        var last: Plan?
        var checks: [LegalCheck] = []
        for _ in 0..<runs {
            let start = clock.now
            let plan = planner.plan(from: from, days: days)
            planTimes.append((clock.now - start).seconds)
            let checkStart = clock.now
            checks = LegalChecks.evaluate(plan, of: planner)
            checkTimes.append((clock.now - checkStart).seconds)
            last = plan
        }
        guard let plan = last else { return }
        let command = (["loa-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let output = Output(
            command: command, machine: .current(), hamlets: hamlets, days: days, programmes: schedule.programmes.count,
            occurrences: plan.occurrences.count, slotSessions: plan.slotFills.count, findings: plan.findings.count,
            legalChecks: checks.count, medianPlanSeconds: Self.median(planTimes), medianLegalCheckSeconds: Self.median(checkTimes),
            runs: planTimes)
        print(command)
        print("machine: \(output.machine.cpu), \(output.machine.cores) cores, \(output.machine.memoryGB) GB, \(output.machine.os)")
        print("schedule: \(hamlets) hamlets in groups of 10, 2 sessions Mon–Sat, \(schedule.programmes.count) programmes (daily, weekly, monthly, in-slot and fixed-time, disclosures, notices)")
        print("")
        print("days  occurrences  sessions  findings  plan median (s)  legal checks median (s)")
        print(String(format: "%4d  %11d  %8d  %8d  %15.3f  %23.3f", days, plan.occurrences.count, plan.slotFills.count,
                     plan.findings.count, output.medianPlanSeconds, output.medianLegalCheckSeconds))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// A province-sized schedule: every hamlet in a group of ten, programmes of every shape.
    static func province(hamlets count: Int) -> BroadcastSchedule {
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        let site = SiteSettings(
            id: "tinh-bench", name: "Tỉnh thử", slots: [
                BroadcastSlot(id: "sang", name: "Buổi sáng", start: LocalTime(hour: 5, minute: 0)!, end: LocalTime(hour: 5, minute: 30)!, weekdays: weekdays, maxMinutes: 15),
                BroadcastSlot(id: "chieu", name: "Buổi chiều", start: LocalTime(hour: 17, minute: 0)!, end: LocalTime(hour: 17, minute: 30)!, weekdays: weekdays, maxMinutes: 15),
            ],
            quietHours: [QuietHours(start: LocalTime(hour: 21, minute: 30)!, end: LocalTime(hour: 5, minute: 0)!)])
        let hamlets = (0..<count).map { ScheduleHamlet(id: "thon-\($0)", name: "Thôn \($0)", receivers: ["loa-\($0)-1", "loa-\($0)-2"]) }
        let groups = stride(from: 0, to: count, by: 10).map { first in
            HamletGroup(id: "cum-\(first / 10)", name: "Cụm \(first / 10)", hamlets: (first..<min(first + 10, count)).map { "thon-\($0)" })
        }
        func programme(
            _ id: String, _ seconds: Int, _ category: Category = .propaganda, priority: PriorityClass = .normal,
            days: DayPattern = .daily, from: String? = nil, until: String? = nil, times: AiringTimes = .inSlots([], timesPerDay: nil),
            targets: Targets = .all, disclosure: Disclosure? = nil, meeting: MeetingNotice? = nil
        ) -> Programme {
            Programme(
                id: id, title: id, category: category, priority: priority, content: .text(id), durationSeconds: seconds,
                targets: targets,
                recurrence: Recurrence(days: days, from: from.flatMap(LocalDate.init(iso:)), until: until.flatMap(LocalDate.init(iso:)), times: times),
                disclosure: disclosure, meeting: meeting)
        }
        let half = Targets.groups(groups.prefix(groups.count / 2).map(\.id))
        let programmes = [
            programme("thoi-su", 300, .news),
            programme("cqtt-tuan", 180, days: .weekly([.monday, .thursday])),
            programme("an-toan-giao-thong", 120, days: .weekly([.tuesday, .friday]), times: .inSlots(["chieu"], timesPerDay: 1)),
            programme("phong-chay", 150, days: .monthly(day: 15)),
            programme("bhyt", 90, times: .inSlots([], timesPerDay: 1), targets: half),
            programme("uu-tien-dich-benh", 60, priority: .priority, days: .weekly([.wednesday])),
            programme("ngan-sach-q1", 240, .disclosure, days: .daily, from: "2027-04-05", until: "2027-04-09",
                      disclosure: Disclosure(item: 2, decisionDate: LocalDate(iso: "2027-04-02")!)),
            programme("ho-ngheo", 420, .disclosure, days: .daily, from: "2027-01-11", until: "2027-01-13",
                      disclosure: Disclosure(item: 7, decisionDate: LocalDate(iso: "2027-01-08")!)),
            programme("doi-thoai", 120, .dialogue, days: .daily, from: "2027-06-01", until: "2027-06-08",
                      meeting: MeetingNotice(date: LocalDate(iso: "2027-06-10")!, kind: .dialogueConference)),
            programme("tiep-song", 600, .news, days: .weekly([.sunday]), times: .at([LocalTime(hour: 19, minute: 0)!])),
            programme("dien-tap-bao", 60, .emergency, priority: .emergency, days: .monthly(day: 1), times: .at([LocalTime(hour: 9, minute: 0)!])),
            programme("nhac-dem", 60, .other, times: .at([LocalTime(hour: 22, minute: 0)!]), targets: .groups(["cum-0"])),
        ]
        return BroadcastSchedule(site: site, hamlets: hamlets, groups: groups, programmes: programmes)
    }
}
