import Foundation
import LoaDomain
import LoaProtocol
import Testing

@Suite("Messages on the wire")
struct WireCodingTests {
    let media = MediaReference(sha256: String(repeating: "0", count: 64), bytes: 10, contentType: "audio/wav", durationMs: 1500)

    @Test("a schedule document survives encoding with millisecond instants and Vietnamese titles in NFC")
    func scheduleRoundTrip() throws {
        let start = Date(timeIntervalSince1970: 1_795_485_600.125)
        let schedule = ZoneSchedule(site: "xa-ha-binh", zone: "thon-dong", version: 3, issuedAt: start, items: [
            ScheduledItem(id: "x@thon-dong", announcementId: "x", title: "Thông báo hội nghị đối thoại",
                          category: .dialogue, priority: .normal, startAt: start, media: media),
        ])
        let data = try WireCoding.encode(schedule)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"startAt\":\"2026-11-24T02:00:00.125Z\""))
        #expect(text.contains("Thông báo hội nghị đối thoại"))
        #expect(try WireCoding.decode(ZoneSchedule.self, from: data) == schedule)
    }

    @Test("a malformed message names the field at fault")
    func malformed() {
        let missingKind = #"{"id":"e1","device":"d","site":"s","zone":"z","item":"i","at":"2026-11-24T02:00:00.000Z"}"#
        #expect(throws: WireError.malformed(type: "DeviceEvent", detail: "Thiếu trường kind (missing field kind)")) {
            try WireCoding.decode(DeviceEvent.self, from: Data(missingKind.utf8))
        }
        let badInstant = #"{"id":"e1","device":"d","site":"s","zone":"z","item":"i","kind":"started","at":"yesterday"}"#
        do {
            _ = try WireCoding.decode(DeviceEvent.self, from: Data(badInstant.utf8))
            Issue.record("accepted a bad instant")
        } catch {
            #expect("\(error)".contains("field at"))
            #expect("\(error)".contains("RFC 3339"))
        }
        #expect(throws: WireError.self) { try WireCoding.decode(DeviceEvent.self, from: Data("not json".utf8)) }
    }

    @Test("topics put the site, zone and device where the ACL expects them")
    func topics() {
        let topics = Topics(site: "xa-ha-binh")
        #expect(topics.zoneSchedule("thon-dong") == "loa/v1/xa-ha-binh/zone/thon-dong/schedule")
        #expect(topics.deviceEvents("loa-1") == "loa/v1/xa-ha-binh/device/loa-1/events")
        #expect(topics.device(inTopic: "loa/v1/xa-ha-binh/device/loa-1/events") == "loa-1")
        #expect(topics.device(inTopic: "loa/v1/other-site/device/loa-1/events") == nil)
        #expect(topics.device(inTopic: "loa/v1/xa-ha-binh/zone/thon-dong/schedule") == nil)
    }
}
