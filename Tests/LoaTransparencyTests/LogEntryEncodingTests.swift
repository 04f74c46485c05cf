import Foundation
import LoaProtocol
import LoaTransparency
import Testing

@Suite("Log entry bytes: canonical JSON of string fields")
struct LogEntryEncodingTests {
    @Test("keys are sorted, nothing is spaced, strings are NFC and escaped as RFC 8785 says")
    func canonicalBytes() throws {
        let decomposed = "Tho\u{302}ng ba\u{301}o"  // "Thông báo" with combining marks
        let data = try LogEntryEncoding.encode(fields: [
            ("zone", "thon-dong"), ("reason", "quote \" backslash \\ slash / tab \t nl \n bell \u{07} del \u{7F}"),
            ("title", decomposed), ("at", "2026-11-24T02:00:00.125Z"),
        ])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text == #"{"at":"2026-11-24T02:00:00.125Z","reason":"quote \" backslash \\ slash / tab \t nl \n bell \u0007 del "# + "\u{7F}" + #"","title":"Thông báo","zone":"thon-dong"}"#)
        #expect(Array(data) == Array(text.utf8))
        #expect(text.contains("Th\u{00F4}ng b\u{00E1}o"))
        #expect(try LogEntryEncoding.decode(data)["title"] == "Thông báo")
    }

    @Test("the same fields in any order give the same bytes; duplicates are refused")
    func orderAndDuplicates() throws {
        let a = try LogEntryEncoding.encode(fields: [("b", "2"), ("a", "1"), ("ä", "3")])
        let b = try LogEntryEncoding.encode(fields: [("a\u{308}", "3"), ("a", "1"), ("b", "2")])
        #expect(a == b)
        #expect(a == LogEntryEncoding.encode(fields: ["a": "1", "b": "2", "ä": "3"]))
        #expect(throws: LogEntryError.duplicateKey("ä")) {
            try LogEntryEncoding.encode(fields: [("ä", "1"), ("a\u{308}", "2")])
        }
    }

    @Test("bytes that are not exactly canonical are refused on decoding")
    func nonCanonical() {
        for text in [#"{"b":"2","a":"1"}"#, #"{"a": "1"}"#, #"{"a":1}"#, #"{"a":"\u0041"}"#, #"{"a":"1","a":"2"}"#, "[]", "{"] {
            #expect(throws: LogEntryError.self, "\(text)") { try LogEntryEncoding.decode(Data(text.utf8)) }
        }
    }

    @Test("a receiver event becomes a documented entry")
    func deviceEvent() throws {
        let event = DeviceEvent(
            id: "e-1", device: "rx-07", site: "xa-ha-binh", zone: "thon-dong", item: "a-12@thon-dong", kind: .started,
            at: Date(timeIntervalSince1970: 1_795_485_600.125), measuredStartAt: Date(timeIntervalSince1970: 1_795_485_600.375),
            startOffsetMs: 5.25)
        let data = LogEntryEncoding.encode(event: event, receivedAt: Date(timeIntervalSince1970: 1_795_485_601))
        #expect(String(decoding: data, as: UTF8.self) == #"{"at":"2026-11-24T02:00:00.125Z","device":"rx-07","id":"e-1","item":"a-12@thon-dong","kind":"started","measuredStartAt":"2026-11-24T02:00:00.375Z","receivedAt":"2026-11-24T02:00:01.000Z","site":"xa-ha-binh","startOffsetMs":"5.250","type":"event","zone":"thon-dong"}"#)
    }
}
