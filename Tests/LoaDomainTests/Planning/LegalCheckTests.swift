import LoaDomain
import Testing

@Suite("The law's checks on a plan")
struct LegalCheckTests {
    typealias F = ScheduleFixture

    func check(_ programme: Programme, _ requirement: LegalCheck.Requirement, site: SiteSettings = F.site()) throws -> LegalCheck {
        let planner = try Planner(schedule: F.schedule([programme], site: site))
        let window = try #require(LegalChecks.window(for: planner.schedule))
        let plan = planner.plan(from: window.from, days: window.days)
        return try #require(LegalChecks.evaluate(plan, of: planner).first { $0.requirement == requirement })
    }

    // Item 7 (social support), decided Friday 27 November 2026.
    let item7 = Disclosure(item: 7, decisionDate: LocalDate(iso: "2026-11-27")!)

    @Test("item 7 aired Monday to Wednesday passes the 3 consecutive days")
    func threeDaysPass() throws {
        let programme = F.programme(
            "ho-ngheo", category: .disclosure, from: F.date("2026-11-30"), until: F.date("2026-12-02"), disclosure: item7)
        #expect(try check(programme, .loudspeakerDays).outcome == .passed)
        #expect(try check(programme, .disclosureDeadline).outcome == .passed)
    }

    @Test("item 7 aired Friday, Saturday and Monday fails: Sunday has no session, so the run is 2 days")
    func sundayBreaksTheRun() throws {
        let programme = F.programme(
            "ho-ngheo", category: .disclosure, from: F.date("2026-12-04"), until: F.date("2026-12-07"), disclosure: item7)
        let result = try check(programme, .loudspeakerDays)
        #expect(result.outcome == .failed)
        #expect(result.failures.count == 3)
        #expect(result.failures.first?.message.vi == "Thôn Đông: chỉ phát 2 ngày liên tiếp, cần 3")
    }

    @Test("item 2 (budget) has no loudspeaker-days rule")
    func itemTwoHasNoDaysRule() throws {
        let programme = F.programme(
            "ngan-sach", category: .disclosure, days: .once(F.date("2026-12-01")),
            disclosure: Disclosure(item: 2, decisionDate: F.date("2026-11-27")))
        let planner = try Planner(schedule: F.schedule([programme]))
        let window = try #require(LegalChecks.window(for: planner.schedule))
        let checks = LegalChecks.evaluate(planner.plan(from: window.from, days: window.days), of: planner)
        #expect(checks.map(\.requirement) == [.disclosureDeadline])
        #expect(checks.first?.outcome == .passed)
    }

    @Test("5 working days skip the weekend and the site's holidays")
    func workingDays() {
        // Friday 27 Nov + 5 working days = Friday 4 Dec; with Wednesday 2 Dec a holiday, Monday 7 Dec.
        #expect(F.date("2026-11-27").adding(workingDays: 5, holidays: F.site().holidays) == F.date("2026-12-04"))
        #expect(F.date("2026-11-27").adding(workingDays: 5, holidays: F.site(holidays: [F.date("2026-12-02")]).holidays) == F.date("2026-12-07"))
    }

    @Test("a disclosure first aired after the 5th working day fails, naming the deadline")
    func lateDisclosure() throws {
        let programme = F.programme(
            "ho-ngheo", category: .disclosure, from: F.date("2026-12-07"), until: F.date("2026-12-09"), disclosure: item7)
        let result = try check(programme, .disclosureDeadline)
        #expect(result.outcome == .failed)
        #expect(result.failures.first?.message.vi == "Thôn Đông: phát lần đầu ngày 07/12/2026, quá hạn 04/12/2026")
        #expect(try check(programme, .loudspeakerDays).outcome == .passed)
    }

    @Test("a dialogue conference notice first aired 5 days ahead passes; 3 days ahead fails")
    func meetingLead() throws {
        let meeting = MeetingNotice(date: F.date("2026-12-12"), kind: .dialogueConference)
        let early = F.programme("doi-thoai", category: .dialogue, from: F.date("2026-12-07"), until: F.date("2026-12-11"), meeting: meeting)
        #expect(try check(early, .meetingLeadTime).outcome == .passed)
        let late = F.programme("doi-thoai", category: .dialogue, from: F.date("2026-12-09"), until: F.date("2026-12-11"), meeting: meeting)
        let result = try check(late, .meetingLeadTime)
        #expect(result.outcome == .failed)
        #expect(result.failures.first?.message.vi == "Thôn Đông: phát lần đầu ngày 09/12/2026, chỉ trước cuộc họp 3 ngày; cần ít nhất 5")
    }

    @Test("electing a hamlet head needs 7 days; a community meeting 2")
    func leadDaysByKind() throws {
        let election = F.programme(
            "bau-truong-thon", category: .dialogue, from: F.date("2026-12-07"), until: F.date("2026-12-11"),
            targets: .hamlets(["thon-bai"]), meeting: MeetingNotice(date: F.date("2026-12-12"), kind: .hamletHeadElection))
        let result = try check(election, .meetingLeadTime)
        #expect(result.outcome == .failed && result.failures.map(\.hamlet) == [2])
        let community = F.programme(
            "hop-to", category: .dialogue, days: .once(F.date("2026-12-10")),
            meeting: MeetingNotice(date: F.date("2026-12-12"), kind: .community))
        #expect(try check(community, .meetingLeadTime).outcome == .passed)
    }

    @Test("a plan that does not reach the days a check is about says so instead of judging")
    func notCovered() throws {
        let planner = try Planner(schedule: F.schedule([
            F.programme("ho-ngheo", category: .disclosure, from: F.date("2026-11-30"), until: F.date("2026-12-02"), disclosure: item7)
        ]))
        let checks = LegalChecks.evaluate(planner.plan(from: F.date("2026-12-01"), days: 1), of: planner)
        #expect(checks.map(\.outcome) == [.notCovered, .notCovered])
    }

    @Test("a notice that does not say when it starts is judged the same way for a disclosure and for a meeting: only by a plan that reaches back to when it may have begun")
    func openStartIsNotJudgedFromALatePlan() throws {
        let meeting = MeetingNotice(date: F.date("2026-12-12"), kind: .dialogueConference)
        let notice = F.programme("doi-thoai", category: .dialogue, until: F.date("2026-12-11"), meeting: meeting)
        let disclosure = F.programme("ho-ngheo", category: .disclosure, until: F.date("2026-12-09"), disclosure: item7)
        let planner = try Planner(schedule: F.schedule([notice, disclosure]))
        // A plan from 9 December: both deadlines (7 and 4 December) lie before it, and
        // either programme may have aired before it; neither is failed from it.
        let late = LegalChecks.evaluate(planner.plan(from: F.date("2026-12-09"), days: 3), of: planner)
        #expect(late.filter { $0.requirement != .loudspeakerDays }.map(\.outcome) == [.notCovered, .notCovered])
        // The window the checks ask for judges both.
        let window = try #require(LegalChecks.window(for: planner.schedule))
        let judged = LegalChecks.evaluate(planner.plan(from: window.from, days: window.days), of: planner)
        #expect(judged.filter { $0.requirement != .loudspeakerDays }.allSatisfy { $0.outcome != .notCovered })
    }
}

