import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// Announcements go into the transparency log with the events, and batches of
/// events are appended in one transaction.
@Suite("Announcements and event batches in the log")
struct AnnouncementLogTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let media = MediaReference(sha256: String(repeating: "0f", count: 32), bytes: 10, contentType: "audio/wav", durationMs: 5240)

    func announcement(_ id: String, hamlets: [String] = ["thon-b", "thon-a"]) -> Announcement {
        Announcement(
            id: id, title: "Thông báo hội nghị đối thoại", category: .dialogue, priority: .priority, media: media,
            hamlets: hamlets, startAt: Date(timeIntervalSince1970: 1_795_485_600.125),
            createdAt: Date(timeIntervalSince1970: 1_795_485_000))
    }

    /// A new store of `engine` that holds the test's media.
    func storeWithMedia(_ engine: StoreEngine) async throws -> TestStore {
        let made = try await engine.makeStore(signingKey: key)
        try await made.store.saveMedia(media, at: Date())
        return made
    }

    @Test("an announcement is logged with its fields, canonically, and covered by the signed head", arguments: StoreEngine.allCases)
    func announcementEntry(engine: StoreEngine) async throws {
        let made = try await storeWithMedia(engine)
        defer { made.remove() }
        let store = made.store
        try await store.insert(announcement("a-1"))
        #expect(store.logSize == 1)
        let entry = try #require(try await store.logRecords(in: 0..<1).first).entry
        #expect(String(decoding: entry, as: UTF8.self) == """
            {"category":"dialogue","createdAt":"2026-11-24T01:50:00.000Z","durationMs":"5240","hamlets":"thon-a,thon-b",\
            "id":"a-1","mediaSha256":"\(media.sha256)","priority":"priority","startAt":"2026-11-24T02:00:00.125Z",\
            "title":"Thông báo hội nghị đối thoại","type":"announcement"}
            """)
        let logged = try #require(try await store.logEntries().first?.announcement)
        #expect(logged.hamlets == ["thon-a", "thon-b"])
        #expect(logged.durationMs == 5240)
        let report = try await made.verifyLog([key.verifier])
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.uncovered == 0)
    }

    @Test("an announcement that cannot be stored leaves no entry, and the log goes on", arguments: StoreEngine.allCases)
    func failedAnnouncement(engine: StoreEngine) async throws {
        let made = try await storeWithMedia(engine)
        defer { made.remove() }
        let store = made.store
        try await store.insert(announcement("a-1"))
        await #expect(throws: (any Error).self) { try await store.insert(announcement("a-1")) }
        #expect(store.logSize == 1)
        try await store.insert(announcement("a-2"))
        #expect(store.logSize == 2)
        #expect(try await made.verifyLog([key.verifier]).isIntact)
    }

    @Test("a batch is appended in one transaction: one head signature, duplicates stored once", arguments: StoreEngine.allCases)
    func batch(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        let now = Date(timeIntervalSince1970: 1_795_485_600)
        let events = (0..<5).map { index in
            DeviceEvent(id: "e\(index)", device: "loa-a1", site: "xa-thu-nghiem", zone: "thon-a", item: "x@thon-a",
                        kind: .received, at: now)
        }
        #expect(try await store.record([(events[0], now)]) == [true])
        let batch = [events[1], events[0], events[2], events[1], events[3], events[4]].map { ($0, now) }
        #expect(try await store.record(batch) == [true, false, true, false, true, true])
        #expect(store.logSize == 5)
        #expect(try await store.record([]) == [])
        let head = try #require(try await store.latestCheckpoint())
        #expect(head.hasPrefix("loa.xa-thu-nghiem\n5\n"))
        let report = try await made.verifyLog([key.verifier])
        #expect(report.isIntact, "\(report.problems)")
        #expect(try await store.logEntries().compactMap(\.event?.id) == ["e0", "e1", "e2", "e3", "e4"])
        // Reopened, the tree is rebuilt from the rows and appending goes on.
        let reopened = try await made.reopen()
        #expect(reopened.logSize == 5)
        #expect(try await reopened.record(events[4], receivedAt: now) == false)
    }
}
