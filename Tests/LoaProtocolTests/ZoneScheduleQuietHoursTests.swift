import Foundation
import LoaDomain
import LoaProtocol
import Testing

/// Quiet hours in the schedule document: read on the site's wall clock, carried as HH:MM.
@Suite("Quiet hours in the schedule document")
struct ZoneScheduleQuietHoursTests {
    @Test("quiet hours are read on the site's wall clock and may wrap past midnight")
    func quietHoursOnTheLocalClock() throws {
        let night = QuietHours(start: try #require(LocalTime(text: "21:30")), end: try #require(LocalTime(text: "05:00")))
        var document = ZoneSchedule(
            site: "xa-thu-nghiem", zone: "thon-a", version: 1, issuedAt: Date(), items: [],
            timeZone: "Asia/Ho_Chi_Minh", quietHours: [night])
        func instant(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text)) }
        #expect(document.quietSpan(at: try instant("2026-11-24T14:29:59Z")) == nil)  // 21:29:59 in Hà Nội
        #expect(document.quietSpan(at: try instant("2026-11-24T14:30:00Z")) == night)  // 21:30
        #expect(document.isQuiet(at: try instant("2026-11-24T17:00:00Z")))  // 00:00
        #expect(document.isQuiet(at: try instant("2026-11-24T21:59:59Z")))  // 04:59:59
        #expect(!document.isQuiet(at: try instant("2026-11-24T22:00:00Z")))  // 05:00
        #expect(!document.isQuiet(at: try instant("2026-11-24T03:00:00Z")))  // 10:00
        document.timeZone = "UTC"
        #expect(document.isQuiet(at: try instant("2026-11-24T22:00:00Z")))  // 22:00 in UTC
        document.quietHours = nil
        #expect(!document.isQuiet(at: try instant("2026-11-24T17:00:00Z")))
    }

    @Test("schedule documents carry quiet hours as HH:MM text, and documents without them still decode")
    func quietHoursOnTheWire() throws {
        let json = #"""
            {"format":1,"site":"xa-thu-nghiem","zone":"thon-a","version":2,"issuedAt":"2026-11-24T10:00:00.000Z",
             "items":[],"timeZone":"Asia/Ho_Chi_Minh","quietHours":[{"start":"21:30","end":"05:00"}]}
            """#
        let document = try WireCoding.decode(ZoneSchedule.self, from: Data(json.utf8))
        #expect(document.timeZone == "Asia/Ho_Chi_Minh")
        #expect(document.quietHours?.map { "\($0.start)–\($0.end)" } == ["21:30–05:00"])
        let encoded = String(decoding: try WireCoding.encode(document), as: UTF8.self)
        #expect(encoded.contains(#""start":"21:30""#) && encoded.contains(#""end":"05:00""#), "\(encoded)")

        let old = #"{"format":1,"site":"s","zone":"z","version":1,"issuedAt":"2026-11-24T10:00:00.000Z","items":[]}"#
        let decoded = try WireCoding.decode(ZoneSchedule.self, from: Data(old.utf8))
        #expect(decoded.quietHours == nil && decoded.timeZone == nil)
        #expect(!String(decoding: try WireCoding.encode(decoded), as: UTF8.self).contains("quietHours"))
    }
}
