import Foundation
import LoaDomain
import Testing

@Suite("Placing programmes into sessions")
struct PlannerTests {
    typealias F = ScheduleFixture
    /// A Monday.
    let monday = F.date("2026-11-30")

    /// "programme start" of each airing in a hamlet.
    func starts(_ plan: Plan, _ planner: Planner, hamlet: Int = 0, date: LocalDate? = nil) -> [String] {
        plan.occurrences.filter { $0.hamlet == hamlet && (date == nil || $0.date == date) }.map {
            "\(planner.schedule.programmes[$0.programme].id) \($0.start)"
        }
    }

    @Test("items fill a session one after another with the site's gap, priority class first, then file order")
    func priorityThenFileOrder() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("a", seconds: 60), F.programme("b", seconds: 90, priority: .priority), F.programme("c", seconds: 30),
        ]))
        let plan = planner.plan(from: monday, days: 1)
        #expect(starts(plan, planner) == ["b 05:00", "a 05:01:35", "c 05:02:40", "b 17:00", "a 17:01:35", "c 17:02:40"])
        let fill = try #require(plan.slotFills.first { $0.hamlet == 0 && $0.slot == 0 })
        #expect(fill.usedSeconds == 90 + 5 + 60 + 5 + 30 && fill.capacitySeconds == 600 && fill.overflow.isEmpty)
        // The instant of 05:00 in Hà Nội.
        #expect(plan.occurrences[0].startAt == (try Date.ISO8601FormatStyle().parse("2026-11-29T22:00:00Z")))
    }

    @Test("what does not fit a session's limit overflows: it moves to the next session it may use, else it is reported")
    func overflow() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("dai", seconds: 400, times: .inSlots(["sang"], timesPerDay: nil)), F.programme("vua", seconds: 300, times: .inSlots([], timesPerDay: 1)),
            F.programme("sang-only", seconds: 300, times: .inSlots(["sang"], timesPerDay: 1)),
        ]))
        let plan = planner.plan(from: monday, days: 1)
        // 400 s fills the morning (limit 600 s): "vua" moves to the evening; "sang-only" has nowhere to go.
        #expect(starts(plan, planner) == ["dai 05:00", "vua 17:00"])
        let morning = try #require(plan.slotFills.first { $0.hamlet == 0 && $0.slot == 0 })
        #expect(morning.overflow == [1, 2])
        let findings = plan.findings.filter { $0.hamlet == 0 }
        #expect(findings.map(\.kind) == [.overflow])
        #expect(findings.first?.programme == 2)
        #expect(findings.first?.message.vi.contains("các buổi phát đã đầy") == true)
    }

    @Test("times-per-day limits a programme to that many sessions; none on Sunday, when no session runs")
    func timesPerDayAndSunday() throws {
        let planner = try Planner(schedule: F.schedule([F.programme("mot-lan", times: .inSlots([], timesPerDay: 1))]))
        let plan = planner.plan(from: monday, days: 7)
        let perDay = Dictionary(grouping: plan.occurrences.filter { $0.hamlet == 0 }, by: \.date).mapValues(\.count)
        #expect(perDay.count == 6)
        #expect(perDay.values.allSatisfy { $0 == 1 })
        #expect(perDay[F.date("2026-12-06")] == nil)
    }

    @Test("targets pick hamlets by id and by group")
    func targets() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("doai", targets: .hamlets(["thon-doai"])), F.programme("song", targets: .groups(["ven-song"])),
        ]))
        let plan = planner.plan(from: monday, days: 1)
        let byHamlet = Dictionary(grouping: plan.occurrences, by: \.hamlet).mapValues { Set($0.map(\.programme)) }
        #expect(byHamlet[0] == [1] && byHamlet[1] == [0] && byHamlet[2] == [1])
    }

    @Test("a normal item at a fixed time in quiet hours is not aired and reported; an emergency airs at night")
    func quietHours() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("dem", times: .at([F.time("22:00")])),
            F.programme("bao", seconds: 60, priority: .emergency, category: .emergency, days: .once(monday), times: .at([F.time("23:15")])),
        ]))
        let plan = planner.plan(from: monday, days: 1)
        #expect(starts(plan, planner) == ["bao 23:15"])
        let finding = try #require(plan.findings.first { $0.hamlet == 0 })
        #expect(finding.kind == .quietHours && finding.programme == 0)
        #expect(finding.message.vi.contains("giờ yên tĩnh 21:30–05:00"))
    }

    @Test("an emergency at a fixed time inside a session overlaps it: reported as a conflict it wins")
    func conflict() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("thuong", seconds: 300),
            F.programme("bao", seconds: 60, priority: .emergency, category: .emergency, days: .once(monday), times: .at([F.time("05:02")])),
        ]))
        let plan = planner.plan(from: monday, days: 1)
        #expect(starts(plan, planner, date: monday).prefix(2) == ["thuong 05:00", "bao 05:02"])
        let conflict = try #require(plan.findings.first { $0.kind == .conflict && $0.hamlet == 0 })
        #expect(conflict.programme == 1)
        #expect(conflict.message.en.contains("the higher class interrupts it"))
    }

    @Test("the same schedule always gives the same plan, and occurrence ids name programme, day, session and hamlet")
    func deterministic() throws {
        let schedule = F.schedule([F.programme("a", seconds: 200), F.programme("b", seconds: 200, priority: .priority)])
        let first = try Planner(schedule: schedule).plan(from: monday, days: 30)
        let second = try Planner(schedule: schedule).plan(from: monday, days: 30)
        #expect(first.occurrences == second.occurrences && first.slotFills == second.slotFills)
        #expect(schedule.occurrenceID(first.occurrences[0]) == "b@2026-11-30/sang@thon-dong")
    }

    @Test("an unknown time zone is refused with the IANA form to use")
    func unknownTimeZone() {
        #expect(throws: PlannerError.unknownTimeZone("Asia/Hanoi_City")) {
            try Planner(schedule: F.schedule([], site: F.site(timeZone: "Asia/Hanoi_City")))
        }
    }
}
