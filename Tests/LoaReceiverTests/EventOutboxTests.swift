import Foundation
import GRDB
import LoaHarness
import LoaProtocol
import LoaReceiver
import Testing

@Suite("The receiver's outbox on SQLite")
struct EventOutboxTests {
    static func event(_ id: String) -> DeviceEvent {
        DeviceEvent(id: id, device: "loa-a1", site: "xa", zone: "thon-a", item: "muc@thon-a", kind: .finished, at: Date(timeIntervalSince1970: 1_796_263_200))
    }

    @Test("an event is kept once, sent when due, sent again only after the resend time, and gone once confirmed; all across a reopen")
    func lifecycle() throws {
        let folder = try TemporaryDirectory(prefix: "loa-outbox")
        defer { folder.remove() }
        let path = folder.path("outbox.sqlite").path
        let t = Date(timeIntervalSince1970: 1_796_263_200)
        do {
            let outbox = try EventOutbox(path: path)
            try outbox.add(Self.event("a"))
            try outbox.add(Self.event("a"))
            try outbox.add(Self.event("b"))
            #expect(try outbox.pendingCount() == 2)
            let due = try outbox.takeDue(now: t, resendBefore: t.addingTimeInterval(-30))
            #expect(due.map(\.id) == ["a", "b"])
            #expect(try WireCoding.decode(DeviceEvent.self, from: due[0].payload) == Self.event("a"))
            #expect(try outbox.takeDue(now: t.addingTimeInterval(10), resendBefore: t.addingTimeInterval(-20)).isEmpty, "sent 10 s ago")
        }
        let reopened = try EventOutbox(path: path)
        #expect(try reopened.takeDue(now: t.addingTimeInterval(40), resendBefore: t.addingTimeInterval(10)).map(\.id) == ["a", "b"])
        try reopened.confirm(["a"])
        #expect(try reopened.pendingCount() == 1)
        #expect(try reopened.takeDue(now: t.addingTimeInterval(80), resendBefore: t.addingTimeInterval(50)).map(\.id) == ["b"])
    }

    @Test("an outbox written by an earlier receiver (GRDB, times as text) keeps its events and sends them again")
    func earlierOutboxKept() throws {
        let folder = try TemporaryDirectory(prefix: "loa-outbox-old")
        defer { folder.remove() }
        let path = folder.path("outbox.sqlite").path
        do {
            // As EventOutbox wrote it before LoaSQLite.
            let old = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1: pending events") { db in
                try db.create(table: "pendingEvent") { t in
                    t.autoIncrementedPrimaryKey("sequence")
                    t.column("id", .text).notNull().unique()
                    t.column("payload", .blob).notNull()
                    t.column("lastSentAt", .datetime)
                }
            }
            try migrator.migrate(old)
            try old.write { db in
                try db.execute(
                    sql: "INSERT INTO pendingEvent (id, payload, lastSentAt) VALUES (?, ?, ?)",
                    arguments: ["sent", try WireCoding.encode(Self.event("sent")), Date()])
                try db.execute(
                    sql: "INSERT INTO pendingEvent (id, payload) VALUES (?, ?)", arguments: ["unsent", try WireCoding.encode(Self.event("unsent"))])
            }
        }
        let outbox = try EventOutbox(path: path)
        #expect(try outbox.pendingCount() == 2)
        let now = Date()
        #expect(try outbox.takeDue(now: now, resendBefore: now.addingTimeInterval(-30)).map(\.id) == ["sent", "unsent"])
        try outbox.add(Self.event("new"))
        #expect(try outbox.takeDue(now: now, resendBefore: now.addingTimeInterval(-30)).map(\.id) == ["new"])
    }
}
