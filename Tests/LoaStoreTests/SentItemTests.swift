import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import Testing

/// What each hamlet was sent, which every event is checked against: the first sending
/// of an item is kept, and what another controller sent is found (the PostgreSQL store
/// keeps what it read in memory: only what was sent, never what was not).
@Suite("What each hamlet was sent")
struct SentItemTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let start = Date(timeIntervalSince1970: 1_795_485_600)
    let media = MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1, contentType: "audio/wav", durationMs: 5000)

    /// Publishes a document of `hamlet` listing `items`, starting at `startAt`, issued at `issuedAt`.
    private func publish(_ items: [String], hamlet: String, startAt: Date, issuedAt: Date, on store: any ControllerStore) async throws {
        let listed = items.map { id in
            ScheduledItem(id: id, announcementId: id, title: "Bản tin", category: .propaganda, priority: .normal, startAt: startAt, media: media)
        }
        let document = ZoneSchedule(site: "xa-thu-nghiem", zone: hamlet, version: 1, issuedAt: issuedAt, items: listed)
        _ = try await store.publishNextZoneDocument(zone: hamlet, at: issuedAt) { _, _ in (try WireCoding.encode(document), nil, ()) }
    }

    @Test("unknown until sent, by this controller or another; the first sending stays; per hamlet", arguments: StoreEngine.allCases)
    func firstSendingKept(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        try await publish(["tin-1@thon-a"], hamlet: "thon-a", startAt: start, issuedAt: start - 3600, on: store)
        #expect(try await store.sentItems(zone: "thon-a", items: ["tin-1@thon-a", "tin-2@thon-a"]).keys.sorted() == ["tin-1@thon-a"])
        // Another controller sends the second, and the first again later.
        let other = try await made.reopen()
        try await publish(["tin-1@thon-a", "tin-2@thon-a"], hamlet: "thon-a", startAt: start + 600, issuedAt: start - 60, on: other)
        let sent = try await store.sentItems(zone: "thon-a", items: ["tin-1@thon-a", "tin-2@thon-a"])
        #expect(sent.keys.sorted() == ["tin-1@thon-a", "tin-2@thon-a"])
        #expect(sent["tin-1@thon-a"]?.firstSentAt == start - 3600, "the first sending is kept")
        #expect(sent["tin-1@thon-a"]?.startAt == start)
        #expect(sent["tin-2@thon-a"]?.firstSentAt == start - 60)
        // The controller that sent it again later knows the first sending too, not its own.
        let seenByOther = try await other.sentItems(zone: "thon-a", items: ["tin-1@thon-a", "tin-2@thon-a"])
        #expect(seenByOther["tin-1@thon-a"]?.firstSentAt == start - 3600)
        #expect(seenByOther["tin-2@thon-a"]?.firstSentAt == start - 60)
        #expect(try await store.sentItems(zone: "thon-b", items: ["tin-1@thon-a"]).isEmpty, "sent to another hamlet only")
    }
}
