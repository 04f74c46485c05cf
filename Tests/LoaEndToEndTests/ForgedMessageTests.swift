import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness
import Testing

/// A receiver on a real broker refuses every downward message that is not the
/// controller's, fresh and new — and keeps working (the Dallas 2017 siren replay).
@Suite("A receiver refuses forged, replayed and stale commands", .serialized)
struct ForgedMessageTests {
    @Test("forged, unsigned, foreign-topic, replayed, expired, malformed and oversized documents are refused and counted; the next real one plays")
    func refusesForgeries() async throws {
        let commune = try await Commune()
        let target = try commune.receiver("loa-sec", hamlet: "thon-a")
        target.start()
        let attacker = try MQTTClient(options: .init(host: "127.0.0.1", port: commune.broker.port, clientID: "attacker"))
        try await attacker.waitUntilConnected()
        let topic = Topics(site: commune.site.id).zoneSchedule("thon-a")
        let chime = try sampleAudio("chime.wav")
        let media = try await commune.controller.media.addAudio(chime)

        // Genuine documents the attacker captured: thon-a's first one, and thon-b's.
        let first = try await commune.announce(chime, to: ["thon-a", "thon-b"], at: Date().addingTimeInterval(2))
        _ = try await commune.waitForEvents(item: "\(first.id)@thon-a", kind: .finished, from: ["loa-sec"])
        let capturedA = try await retained(topic, on: commune)
        let capturedB = try await retained(Topics(site: commune.site.id).zoneSchedule("thon-b"), on: commune)
        _ = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(3600))  // thon-a moves on

        let forgedDocument = try WireCoding.encode(ZoneSchedule(
            site: commune.site.id, zone: "thon-a", version: 1_000_000, issuedAt: Date(), items: [
                ScheduledItem(id: "forged@thon-a", announcementId: "forged", title: "Báo động giả", category: .emergency,
                              priority: .emergency, startAt: Date().addingTimeInterval(1), media: media),
            ]))
        let impostor = MessageSigner(key: SigningKey(name: ControllerConfiguration.keyName(site: commune.site.id)))
        let realKey = try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: commune.site.id),
            at: commune.directory.path("controller/controller.key"))
        let now = Date()
        let attacks: [(String, Data)] = [
            ("unsigned", forgedDocument),
            ("signed by another key", try impostor.seal(payload: forgedDocument, topic: topic, version: 1_000_000, issuedAt: now, expiresAt: now.addingTimeInterval(600))),
            ("thon-b's document on thon-a's topic", capturedB),
            ("thon-a's older document replayed", capturedA),
            ("expired", try MessageSigner(key: realKey).seal(payload: forgedDocument, topic: topic, version: 2_000_000, issuedAt: now.addingTimeInterval(-7200), expiresAt: now.addingTimeInterval(-3600))),
            ("not JSON", Data("BÁO ĐỘNG".utf8)),
            ("truncated", capturedA.prefix(capturedA.count / 2)),
            ("oversized", Data(repeating: 0x7B, count: 300 * 1024)),
        ]
        for (_, payload) in attacks {
            try await attacker.publish(topic: topic, payload: payload, qos: .atLeastOnce)
        }
        try await Task.sleep(for: .seconds(2.5))

        let refused = await target.receiver.refusedMessages
        let total = refused.values.reduce(0, +)
        #expect(total >= attacks.count, "refusals: \(refused)")
        for reason in ["unsigned", "malformed", "oversized", "expired", "wrongTopic"] {
            #expect((refused[reason] ?? 0) >= 1, "no '\(reason)' refusal counted: \(refused)")
        }
        #expect((refused["unknownKey"] ?? 0) + (refused["badSignature"] ?? 0) >= 1, "the impostor's signature: \(refused)")
        #expect((refused["rolledBack"] ?? 0) + (refused["replayed"] ?? 0) + (refused["duplicate"] ?? 0) >= 1, "the replay: \(refused)")
        #expect(try await commune.controller.store.events(item: "forged@thon-a").isEmpty, "a forged item was acted on")

        // The receiver still works: the controller's next announcement plays.
        let next = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(1.5))
        let finished = try await commune.waitForEvents(item: "\(next.id)@thon-a", kind: .finished, from: ["loa-sec"])
        #expect(finished.count == 1)

        await attacker.close()
        await target.stop()
        await commune.stop()
    }

    /// The retained message on `topic`, as any subscriber (or eavesdropper) gets it.
    func retained(_ topic: String, on commune: Commune) async throws -> Data {
        let listener = try MQTTClient(options: .init(
            host: "127.0.0.1", port: commune.broker.port, clientID: "eavesdropper-\(UUID().uuidString.prefix(6))", cleanSession: true))
        defer { Task { await listener.close() } }
        try await listener.subscribe(topic)
        var messages = listener.messages.makeAsyncIterator()
        return try #require(await messages.next()).payload
    }
}
