import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import LoaTransparency

/// A commune whose truth the tests know: 2 hamlets, 3 receivers, announcements
/// and events written through the store API as the controller writes them.
///
/// - thon-a: receivers loa-a1, loa-a2; thon-b: receiver loa-b1.
/// - A1 (dialogue, thon-a + thon-b, 60 s): a1 and b1 finish (60 000 / 59 500 ms),
///   a2 fails (hash mismatch).
/// - A2 (disclosure, thon-a, 30 s): a2 finishes (30 000 ms), a1 misses it (offline).
/// - A3 (dialogue, thon-b): b1 misses it (powered off).
/// - A0 (dialogue, thon-a), the day before the period: a1 finishes it.
struct LogScenario {
    static let key = SigningKey(name: "loa.xa-thu-nghiem")
    /// 2026-11-24 00:00 +07:00.
    static let dayStart = Date(timeIntervalSince1970: 1_795_453_200)
    static let periodEnd = dayStart.addingTimeInterval(86_400)

    let store: any ControllerStore

    /// The scenario in a SQLite file at `path`.
    init(path: String) async throws {
        try await self.init(store: try SQLiteStore(path: path, signingKey: Self.key))
    }

    /// The scenario written into `store`, which must be empty.
    init(store: any ControllerStore) async throws {
        self.store = store
        let media = MediaReference(sha256: String(repeating: "ab", count: 32), bytes: 1000, contentType: "audio/wav", durationMs: 60_000)
        try await store.saveMedia(media, at: Self.dayStart)
        let at = { (hours: Double) in Self.dayStart.addingTimeInterval(hours * 3600) }
        func announce(_ id: String, _ category: Category, _ hamlets: [String], _ hours: Double, title: String) async throws {
            try await store.insert(Announcement(
                id: id, title: title, category: category, priority: .normal, media: media, hamlets: hamlets,
                startAt: at(hours), createdAt: at(hours - 1)))
        }
        var sequence = 0
        func event(_ device: String, _ hamlet: String, _ announcement: String, _ kind: DeviceEvent.Kind, _ hours: Double,
                   playedMs: Int? = nil, reason: String? = nil) async -> (DeviceEvent, Date) {
            sequence += 1
            return (DeviceEvent(
                id: "ev-\(sequence)", device: device, site: "xa-thu-nghiem", zone: hamlet, item: "\(announcement)@\(hamlet)",
                kind: kind, at: at(hours), playedMs: playedMs, reason: reason), at(hours).addingTimeInterval(1))
        }
        try await announce("a0", .dialogue, ["thon-a"], -20, title: "Hôm trước")
        try await store.record([event("loa-a1", "thon-a", "a0", .received, -21), event("loa-a1", "thon-a", "a0", .finished, -20, playedMs: 60_000)])
        try await announce("a1", .dialogue, ["thon-a", "thon-b"], 8, title: "Hội nghị đối thoại")
        try await announce("a2", .disclosure, ["thon-a"], 9, title: "Công khai dự toán")
        try await announce("a3", .dialogue, ["thon-b"], 10, title: "Họp thôn")
        try await store.record([
            event("loa-a1", "thon-a", "a1", .received, 7), event("loa-a1", "thon-a", "a1", .ready, 7.5),
            event("loa-a1", "thon-a", "a1", .started, 8), event("loa-a1", "thon-a", "a1", .finished, 8.02, playedMs: 60_000),
            event("loa-a2", "thon-a", "a1", .received, 7), event("loa-a2", "thon-a", "a1", .failed, 7.1, reason: "hash mismatch: got 00ff…"),
            event("loa-b1", "thon-b", "a1", .received, 7), event("loa-b1", "thon-b", "a1", .started, 8),
            event("loa-b1", "thon-b", "a1", .finished, 8.02, playedMs: 59_500),
        ])
        try await store.record([
            event("loa-a2", "thon-a", "a2", .received, 8.5), event("loa-a2", "thon-a", "a2", .finished, 9.01, playedMs: 30_000),
            event("loa-a1", "thon-a", "a2", .missed, 9.5, reason: "offline at the instant"),
            event("loa-b1", "thon-b", "a3", .missed, 10.5, reason: "powered off"),
        ])
    }
}
