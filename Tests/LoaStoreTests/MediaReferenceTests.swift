import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import Testing

/// The media references receivers' fetches are checked against: what was stored first
/// stays, and media another controller stored is found (the PostgreSQL store keeps
/// the references it read in memory: only what is stored, never what is missing).
@Suite("Media references")
struct MediaReferenceTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)
    let sha256 = String(repeating: "5e", count: 32)

    @Test("unknown until stored, by this controller or another; the first stored stays; the gain is kept apart", arguments: StoreEngine.allCases)
    func storedOnce(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        #expect(try await store.media(sha256: sha256) == nil)
        // Stored by another controller of the commune after this one found nothing.
        let other = try await made.reopen()
        let first = MediaReference(sha256: sha256, bytes: 266_040, contentType: "audio/wav", durationMs: 8_312)
        try await other.saveMedia(first, at: now)
        #expect(try await store.media(sha256: sha256) == first)
        try await store.saveMedia(MediaReference(sha256: sha256, bytes: 1, contentType: "audio/mpeg", durationMs: 1), at: now + 1)
        #expect(try await store.media(sha256: sha256) == first)
        #expect(try await other.media(sha256: sha256) == first)
        try await other.saveLevellingGain(-3.5, sha256: sha256)
        #expect(try await store.levellingGain(sha256: sha256) == -3.5)
        #expect(try await store.media(sha256: sha256) == first)
    }
}
