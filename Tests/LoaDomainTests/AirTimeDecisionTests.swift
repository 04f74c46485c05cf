import Foundation
import LoaDomain
import Testing

@Suite("When a receiver airs an item")
struct AirTimeDecisionTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("an item still to come waits for its instant")
    func future() {
        #expect(AirTimeDecision.decide(startAt: start, now: start.addingTimeInterval(-3), grace: .seconds(5)) == .playAt(start))
        #expect(AirTimeDecision.decide(startAt: start, now: start, grace: .seconds(5)) == .playAt(start))
    }

    @Test("a little late, within the grace, plays now; later than that is missed")
    func late() {
        #expect(AirTimeDecision.decide(startAt: start, now: start.addingTimeInterval(2), grace: .seconds(5)) == .playLate(by: .seconds(2)))
        #expect(AirTimeDecision.decide(startAt: start, now: start.addingTimeInterval(5), grace: .seconds(5)) == .playLate(by: .seconds(5)))
        #expect(AirTimeDecision.decide(startAt: start, now: start.addingTimeInterval(5.001), grace: .seconds(5)) == .missed(lateBy: .milliseconds(5001)))
        #expect(AirTimeDecision.decide(startAt: start, now: start.addingTimeInterval(600), grace: .seconds(5)) == .missed(lateBy: .seconds(600)))
    }
}

@Suite("Which announcements a hamlet's schedule document lists")
struct ZoneSchedulePlanTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func announcement(_ id: String, hamlets: [String], in seconds: Double, priority: PriorityClass = .normal) -> Announcement {
        Announcement(
            id: id, title: id, category: .other, priority: priority,
            media: MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1, contentType: "audio/wav", durationMs: 1000),
            hamlets: hamlets, startAt: now.addingTimeInterval(seconds), createdAt: now)
    }

    @Test("only the hamlet's items inside the window, in air order with higher classes first at the same instant")
    func windowAndOrder() {
        let plan = ZoneSchedulePlan(lookBack: .seconds(3600), lookAhead: .seconds(7200))
        let all = [
            announcement("late-normal", hamlets: ["a"], in: 600),
            announcement("other-hamlet", hamlets: ["b"], in: 60),
            announcement("too-old", hamlets: ["a"], in: -3601),
            announcement("too-far", hamlets: ["a"], in: 7201),
            announcement("same-time-normal", hamlets: ["a", "b"], in: 300),
            announcement("same-time-emergency", hamlets: ["a"], in: 300, priority: .emergency),
            announcement("recent-past", hamlets: ["a"], in: -60),
        ]
        #expect(plan.items(for: "a", from: all, now: now).map(\.id) == [
            "recent-past", "same-time-emergency", "same-time-normal", "late-normal",
        ])
        #expect(plan.items(for: "b", from: all, now: now).map(\.id) == ["other-hamlet", "same-time-normal"])
    }
}

@Suite("Ids that go into topics")
struct IdentifierTests {
    @Test("lowercase ASCII slugs pass", arguments: ["thon-1", "xa-ha-binh", "loa_a1", "7"])
    func valid(_ id: String) { #expect(Identifier.isValid(id)) }

    @Test("spaces, diacritics, slashes, wildcards and empty ids are refused with a reason",
          arguments: ["", "Thôn 1", "thôn-1", "a/b", "a+b", "#", "-lead", "THON"])
    func invalid(_ id: String) {
        let problem = Identifier.problem(with: id)
        #expect(problem != nil)
    }
}
