import Foundation
import LoaDomain
import Testing

@Suite("Instants an officer types")
struct InstantExpressionTests {
    let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    // 2026-11-24 09:00:00 in Hanoi (02:00 UTC).
    let now = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("relative offsets")
    func relative() throws {
        #expect(try InstantExpression.parse("now", now: now, timeZone: hanoi) == now)
        #expect(try InstantExpression.parse("+30s", now: now, timeZone: hanoi) == now.addingTimeInterval(30))
        #expect(try InstantExpression.parse("+10m", now: now, timeZone: hanoi) == now.addingTimeInterval(600))
        #expect(try InstantExpression.parse("+1.5h", now: now, timeZone: hanoi) == now.addingTimeInterval(5400))
    }

    @Test("a time of day is today in the site's time zone, and must not have passed")
    func timeOfDay() throws {
        let evening = try InstantExpression.parse("17:30", now: now, timeZone: hanoi)
        #expect(try InstantExpression.parse(" 17:30\t", now: now, timeZone: hanoi) == evening)
        #expect(WireFormat.utc(evening) == "2026-11-24T10:30:00Z")
        #expect(throws: InstantExpressionError.self) { try InstantExpression.parse("05:00", now: now, timeZone: hanoi) }
    }

    @Test("full RFC 3339 instants, and a clear error otherwise")
    func absolute() throws {
        let date = try InstantExpression.parse("2026-11-24T17:30:00+07:00", now: now, timeZone: hanoi)
        #expect(WireFormat.utc(date) == "2026-11-24T10:30:00Z")
        do {
            _ = try InstantExpression.parse("chiều mai", now: now, timeZone: hanoi)
            Issue.record("accepted nonsense")
        } catch let error as InstantExpressionError {
            #expect(error.description.contains("+10m"))
            #expect(error.description.contains("17:30"))
        }
    }
}

enum WireFormat {
    static func utc(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }
}
