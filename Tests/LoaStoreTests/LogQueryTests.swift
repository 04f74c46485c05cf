import Foundation
import GRDB
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// `LogQuery` reads the entries themselves.
@Suite("Log queries over the entries")
struct LogQueryTests {
    func ids(_ entries: [LoggedEntry]) -> [String] { entries.compactMap { $0.fields["id"] } }

    @Test("each filter, alone and combined", arguments: StoreEngine.allCases)
    func filters(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: LogScenario.key)
        defer { made.remove() }
        let scenario = try await LogScenario(store: made.store)
        let store = scenario.store
        let all = try await store.logEntries()
        #expect(all.count == 4 + 15)
        #expect(all.map(\.index) == Array(0..<19))

        let b = try await store.logEntries(matching: LogQuery(hamlet: "thon-b"))
        #expect(ids(b) == ["a1", "a3", "ev-9", "ev-10", "ev-11", "ev-15"])
        let device = try await store.logEntries(matching: LogQuery(device: "loa-a2"))
        #expect(ids(device) == ["ev-7", "ev-8", "ev-12", "ev-13"])
        let disclosure = try await store.logEntries(matching: LogQuery(category: "disclosure"))
        #expect(ids(disclosure) == ["a2", "ev-12", "ev-13", "ev-14"])
        let a1 = try await store.logEntries(matching: LogQuery(announcement: "a1", kinds: ["finished", "failed"]))
        #expect(ids(a1) == ["ev-6", "ev-8", "ev-11"])
        #expect(a1.allSatisfy { $0.announcement?.title == "Hội nghị đối thoại" })
        let missed = try await store.logEntries(matching: LogQuery(kinds: ["missed"]))
        #expect(missed.compactMap(\.event?.reason) == ["offline at the instant", "powered off"])
        let announcements = try await store.logEntries(matching: LogQuery(kinds: ["announcement"]))
        #expect(ids(announcements) == ["a0", "a1", "a2", "a3"])
        let period = try await store.logEntries(matching: LogQuery(
            from: LogScenario.dayStart.addingTimeInterval(9 * 3600), to: LogScenario.dayStart.addingTimeInterval(10 * 3600)))
        #expect(ids(period) == ["a2", "ev-13", "ev-14"])
        let combined = try await store.logEntries(matching: LogQuery(hamlet: "thon-a", category: "dialogue", kinds: ["finished"]))
        #expect(ids(combined) == ["ev-2", "ev-6"])
    }

    @Test("the query reads the log entries, not the mutable event table; read-only from the file too")
    func readsTheLog() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("loa.sqlite").path
        let scenario = try await LogScenario(path: path)
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "DELETE FROM event") }
        let fromFile = try LogAudit.entries(databaseAt: path, matching: LogQuery(device: "loa-b1"))
        #expect(ids(fromFile) == ["ev-9", "ev-10", "ev-11", "ev-15"])
        #expect(try await scenario.store.logEntries(matching: LogQuery(device: "loa-b1")) == fromFile)
    }
}
