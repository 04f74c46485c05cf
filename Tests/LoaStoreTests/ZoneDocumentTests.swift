import Foundation
import LoaDomain
import LoaProtocol
import LoaStore
import Testing

/// A commune's hamlets' documents stored together (`publishNextZoneDocuments`, one
/// transaction for all of them): each hamlet's version only grows, from its own last
/// one, and a hamlet whose document cannot be made keeps its last while the others go out.
@Suite("A commune's hamlet documents, stored together")
struct ZoneDocumentTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let issuedAt = Date(timeIntervalSince1970: 1_795_485_600)

    struct Unmakeable: Error {}

    /// A document of `zone` at `version` listing one item, as JSON.
    private func document(_ zone: String, _ version: Int) throws -> Data {
        let media = MediaReference(sha256: String(repeating: "b", count: 64), bytes: 1, contentType: "audio/wav", durationMs: 5000)
        let item = ScheduledItem(
            id: "tin-\(version)@\(zone)", announcementId: "tin-\(version)", title: "Bản tin", category: .propaganda, priority: .normal,
            startAt: issuedAt + 600, media: media)
        return try WireCoding.encode(ZoneSchedule(site: "xa-thu-nghiem", zone: zone, version: version, issuedAt: issuedAt, items: [item]))
    }

    @Test("versions grow per hamlet; one that cannot be made keeps its last, the others are stored; what each lists is sent", arguments: StoreEngine.allCases)
    func together(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        _ = try await store.publishNextZoneDocument(zone: "thon-b", at: issuedAt) { version, _ in (try document("thon-b", version), nil, ()) }

        let first = try await store.publishNextZoneDocuments(zones: ["thon-a", "thon-b", "thon-c"], at: issuedAt) { zone, version, previous in
            (try document(zone, version), Data("sealed \(zone) \(version)".utf8), previous)
        }
        #expect(try first["thon-a"]?.get().version == 1)
        #expect(try first["thon-b"]?.get().version == 2, "thon-b had its own first document")
        #expect(try first["thon-b"]?.get().made == document("thon-b", 1), "each hamlet is given its own previous document")
        #expect(try first["thon-c"]?.get().made == nil)

        let second = try await store.publishNextZoneDocuments(zones: ["thon-a", "thon-b", "thon-c"], at: issuedAt) { zone, version, _ in
            if zone == "thon-b" { throw Unmakeable() }
            return (try document(zone, version), Data("sealed \(zone) \(version)".utf8), ())
        }
        #expect(try second["thon-a"]?.get().version == 2)
        #expect(try second["thon-c"]?.get().version == 2)
        guard case .failure(let error) = second["thon-b"] else { Issue.record("thon-b's failure is answered"); return }
        #expect(error is Unmakeable)

        // What is stored, as another controller reads it.
        let other = try await made.reopen()
        #expect(try await other.latestZoneDocument(zone: "thon-a") == document("thon-a", 2))
        #expect(try await other.latestZoneDocument(zone: "thon-b") == document("thon-b", 2), "thon-b kept its last document")
        #expect(try await other.latestSealedZoneDocument(zone: "thon-c") == Data("sealed thon-c 2".utf8))
        #expect(try await other.sentItems(zone: "thon-c", items: ["tin-1@thon-c", "tin-2@thon-c", "tin-3@thon-c"]).keys.sorted()
            == ["tin-1@thon-c", "tin-2@thon-c"])
        let third = try await other.publishNextZoneDocuments(zones: ["thon-b"], at: issuedAt) { zone, version, _ in
            (try document(zone, version), nil, ())
        }
        #expect(try third["thon-b"]?.get().version == 3, "versions grow across controllers")
    }
}
