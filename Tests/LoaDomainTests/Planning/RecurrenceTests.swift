import LoaDomain
import Testing

@Suite("Recurrence across months, years and leap days")
struct RecurrenceTests {
    typealias F = ScheduleFixture

    /// The days in [from, through] on which `recurrence` airs.
    func days(_ recurrence: Recurrence, from: String, through: String) -> [String] {
        let first = F.date(from), last = F.date(through)
        return (0...first.days(to: last)).map { first.adding(days: $0) }.filter(recurrence.includes).map(\.description)
    }

    let anyTime = AiringTimes.inSlots([], timesPerDay: nil)

    @Test("monthly on the 31st skips the months without one and crosses the year end")
    func monthlyThirtyFirst() {
        let recurrence = Recurrence(days: .monthly(day: 31), times: anyTime)
        #expect(days(recurrence, from: "2026-10-01", through: "2027-05-31")
            == ["2026-10-31", "2026-12-31", "2027-01-31", "2027-03-31", "2027-05-31"])
    }

    @Test("monthly on the 29th airs in February of a leap year only")
    func monthlyLeapDay() {
        let recurrence = Recurrence(days: .monthly(day: 29), times: anyTime)
        #expect(days(recurrence, from: "2027-01-15", through: "2027-03-31") == ["2027-01-29", "2027-03-29"])
        #expect(days(recurrence, from: "2028-01-15", through: "2028-03-31") == ["2028-01-29", "2028-02-29", "2028-03-29"])
    }

    @Test("daily within a date range runs through 28 February into March, and through the year end")
    func dailyRange() {
        let leap = Recurrence(days: .daily, from: F.date("2028-02-27"), until: F.date("2028-03-01"), times: anyTime)
        #expect(days(leap, from: "2028-02-20", through: "2028-03-10") == ["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01"])
        let yearEnd = Recurrence(days: .daily, from: F.date("2026-12-30"), until: F.date("2027-01-02"), times: anyTime)
        #expect(days(yearEnd, from: "2026-12-01", through: "2027-01-31") == ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"])
    }

    @Test("weekly on Monday and Thursday keeps its weekdays across the year end")
    func weeklyAcrossYearEnd() {
        let recurrence = Recurrence(days: .weekly([.monday, .thursday]), times: anyTime)
        #expect(days(recurrence, from: "2026-12-28", through: "2027-01-08") == ["2026-12-28", "2026-12-31", "2027-01-04", "2027-01-07"])
    }

    @Test("once airs on its day only, and not when the day is outside the validity range")
    func once() {
        #expect(days(Recurrence(days: .once(F.date("2027-02-28")), times: anyTime), from: "2027-02-01", through: "2027-03-31") == ["2027-02-28"])
        let outside = Recurrence(days: .once(F.date("2027-02-28")), from: F.date("2027-03-01"), times: anyTime)
        #expect(days(outside, from: "2027-02-01", through: "2027-03-31").isEmpty)
    }
}
