import Foundation
import LoaDomain
import Testing

@Suite("Calendar days and times")
struct CalendarTests {
    @Test("day numbers agree with Foundation's Gregorian calendar for every day from 1999 to 2031")
    func dayNumbersMatchFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = LocalDate(iso: "1999-01-01")!
        for offset in 0..<(33 * 366) {
            let date = start.adding(days: offset)
            let instant = Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400))
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: instant)
            #expect(parts.year == date.year && parts.month == date.month && parts.day == date.day, "\(date)")
            // Foundation: 1 = Sunday … 7 = Saturday.
            #expect((parts.weekday! + 5) % 7 + 1 == date.weekday.number, "\(date) is \(date.weekday)")
            #expect(LocalDate(iso: date.description) == date)
        }
    }

    @Test("dates that do not exist are refused: 30 February, 29 February outside leap years, month 13")
    func impossibleDates() {
        #expect(LocalDate(iso: "2027-02-29") == nil)
        #expect(LocalDate(iso: "2028-02-29") != nil)
        #expect(LocalDate(iso: "2100-02-29") == nil)
        #expect(LocalDate(iso: "2000-02-29") != nil)
        #expect(LocalDate(iso: "2026-02-30") == nil)
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "2026-4-01") == nil)
    }

    @Test("times of day are read as HH:MM or HH:MM:SS and nothing else")
    func timesOfDay() {
        #expect(LocalTime(text: "05:00")?.secondsSinceMidnight == 5 * 3600)
        #expect(LocalTime(text: "5:00")?.description == "05:00")
        #expect(LocalTime(text: "17:30:15")?.description == "17:30:15")
        #expect(LocalTime(text: "24:00") == nil)
        #expect(LocalTime(text: "17h30") == nil)
        #expect(LocalTime(text: "17:3") == nil)
    }

    @Test("quiet hours that wrap past midnight hold late at night and early in the morning, not by day")
    func quietHoursWrap() {
        let quiet = QuietHours(start: LocalTime(hour: 21, minute: 30)!, end: LocalTime(hour: 5, minute: 0)!)
        #expect(quiet.contains(LocalTime(hour: 23, minute: 0)!))
        #expect(quiet.contains(LocalTime(hour: 4, minute: 59)!))
        #expect(!quiet.contains(LocalTime(hour: 5, minute: 0)!))
        #expect(!quiet.contains(LocalTime(hour: 12, minute: 0)!))
    }

    @Test("05:00 in Hà Nội is 22:00 UTC the day before; the wall clock reads it back")
    func vietnamTime() throws {
        let clock = WallClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        let instant = clock.instant(LocalDate(iso: "2027-01-01")!, LocalTime(hour: 5, minute: 0)!)
        #expect(instant == (try Date.ISO8601FormatStyle().parse("2026-12-31T22:00:00Z")))
        let local = clock.local(instant)
        #expect(local.date == LocalDate(iso: "2027-01-01")! && local.time == LocalTime(hour: 5, minute: 0)!)
    }

    @Test("a site that keeps summer time gets the offset in force on each side of the change")
    func daylightSaving() throws {
        let clock = WallClock(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let before = clock.instant(LocalDate(iso: "2027-03-27")!, LocalTime(hour: 17, minute: 0)!)
        let after = clock.instant(LocalDate(iso: "2027-03-28")!, LocalTime(hour: 17, minute: 0)!)
        #expect(before == (try Date.ISO8601FormatStyle().parse("2027-03-27T16:00:00Z")))
        #expect(after == (try Date.ISO8601FormatStyle().parse("2027-03-28T15:00:00Z")))
    }
}
