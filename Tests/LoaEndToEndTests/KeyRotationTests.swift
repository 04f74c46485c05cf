import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The controller's key is replaced the way a stolen or ageing key would be:
/// the new key is announced under the old one, takes over at its instant, and
/// receivers (online then, or offline until after) follow; the log verifies across both.
@Suite("Controller key rotation", .serialized)
struct KeyRotationTests {
    @Test("a new key announced under the old one takes over at its instant; receivers online and offline follow, the old key is refused, the log verifies with both")
    func rotation() async throws {
        let commune = try await Commune(keyRotationNoticeSeconds: 3)
        let keyFile = commune.directory.path("controller/controller.key")
        let oldKey = try SigningKey.loadOrCreate(name: ControllerConfiguration.keyName(site: commune.site.id), at: keyFile)
        let onlineClock = ShiftedClock()
        let online = try commune.receiver("loa-online", hamlet: "thon-a", clock: onlineClock.function)
        let offline = try commune.receiver("loa-offline", hamlet: "thon-b")
        online.start()
        let chime = try sampleAudio("chime.wav")
        let before = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(1.5))
        #expect(try await commune.waitForEvents(item: "\(before.id)@thon-a", kind: .finished, from: ["loa-online"]).count == 1)

        // Only an admin may rotate, and not at once.
        let api = APIClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)/api/v1")!)
        let admin = try APIToken.load(from: APIToken.file(in: commune.controller.configuration.dataDirectory))
        let officer = try await commune.controller.store.addUser(name: "can-bo", displayName: "Cán bộ", roles: [.officer], at: Date()).token
        struct Rotate: Encodable { var validFrom: Date }
        // A whole second: a millisecond instant is not exact in binary and, cut to whole
        // milliseconds on the wire and in the store, could come back 1–2 ms earlier.
        let takeover = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded(.up))
        #expect(try await api.call("POST", "keys/rotation", token: officer, json: Rotate(validFrom: takeover)).0 == 403)
        #expect(try await api.call("POST", "keys/rotation", token: admin, json: Rotate(validFrom: Date().addingTimeInterval(1))).0 == 409,
                "a takeover sooner than the notice")
        let (status, body) = try await api.call("POST", "keys/rotation", token: admin, json: Rotate(validFrom: takeover))
        #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")
        let newKey = try WireCoding.decode(ControllerKeyRecord.self, from: body).verifierKey()
        #expect(try await api.call("POST", "keys/rotation", token: admin, json: Rotate(validFrom: takeover.addingTimeInterval(60))).0 == 409,
                "a second rotation while one is under way")
        #expect(commune.controller.store.verifierKey == oldKey.verifier, "the old key signs until the takeover")

        // The online receiver trusts the new key from the announcement, before the takeover.
        let stateFile = commune.directory.path("state-loa-online/verifier.json")
        #expect(try await eventually { try trusted(in: stateFile).contains(newKey.text) }, "the online receiver never heard of the new key")
        #expect(Date() < takeover, "the announcement should arrive before the takeover")

        // The takeover: the controller switches by itself, seals every document again and keeps only the new key.
        #expect(try await eventually { try SigningKey.loadOrCreate(name: oldKey.name, at: keyFile).verifier == newKey },
                "controller.key did not become the new key")
        #expect(commune.controller.store.verifierKey == newKey)
        #expect(!FileManager.default.fileExists(atPath: commune.directory.path("controller/controller-next.key").path))

        // A receiver that was off during the whole rotation hears the retained announcement first, then the new documents.
        offline.start()
        let after = try await commune.announce(chime, to: ["thon-a", "thon-b"], at: Date().addingTimeInterval(2))
        #expect(try await commune.waitForEvents(item: "\(after.id)@thon-a", kind: .finished, from: ["loa-online"]).count == 1)
        #expect(try await commune.waitForEvents(item: "\(after.id)@thon-b", kind: .finished, from: ["loa-offline"]).count == 1)
        #expect(await offline.receiver.refusedMessages["unknownKey"] == nil, "the retained document came before the key announcement")

        // A document sealed with the old key after the takeover (a stolen key) is refused.
        let attacker = try MQTTClient(options: .init(host: "127.0.0.1", port: commune.broker.port, clientID: "attacker"))
        try await attacker.waitUntilConnected()
        let topic = Topics(site: commune.site.id).zoneSchedule("thon-a")
        // (The old and the new key overlap by the clock skew allowed, 5 minutes: the receiver's clock is now past it.)
        onlineClock.advance(by: DownwardMessageVerifier.Policy().clockSkew + 60)
        let now = onlineClock.now
        let forged = try WireCoding.encode(ZoneSchedule(site: commune.site.id, zone: "thon-a", version: 9_000_000, issuedAt: now, items: []))
        try await attacker.publish(
            topic: topic,
            payload: MessageSigner(key: oldKey).seal(
                payload: forged, topic: topic, version: 9_000_000, issuedAt: now, expiresAt: now.addingTimeInterval(3600)),
            qos: .atLeastOnce)
        #expect(try await eventually { await (online.receiver.refusedMessages["unknownKey"] ?? 0) >= 1 }, "the old key was not refused")

        // The public history: the new key's announcement verifies under the old key; the log verifies with both.
        let (historyStatus, historyBody) = try await api.call("GET", "../../log/keys", token: nil)
        #expect(historyStatus == 200)
        let history = try WireCoding.decode([ControllerKeyRecord].self, from: historyBody)
        #expect(history.map(\.key) == [oldKey.verifier.text, newKey.text])
        for instant in [history[0].retiredAt, history[1].validFrom] {
            #expect(abs((instant ?? .distantPast).timeIntervalSince(takeover)) < 0.002, "the takeover instant in the history: \(String(describing: instant))")
        }
        var auditor = DownwardMessageVerifier(trusting: [oldKey.verifier])
        let announcement = try #require(history[1].announcement)
        let opened = auditor.open(Data(announcement.utf8), topic: Topics(site: commune.site.id).controllerKeys, now: takeover.addingTimeInterval(-1))
        #expect((try? opened.get())?.adoptedKey == newKey)
        let database = commune.directory.path("controller/loa.sqlite").path
        let report = try LogAudit.verify(databaseAt: database, keys: [oldKey.verifier, newKey])
        #expect(report.isIntact, "\(report.problems)")
        let signers = try checkpointSigners(database, keys: [oldKey.verifier, newKey])
        #expect(signers == [oldKey.verifier, newKey], "checkpoints should be signed by the old key, then by the new one: \(signers)")

        await attacker.close()
        await online.stop()
        await offline.stop()
        await commune.stop()
    }

    @Test("key files: a rotation cut short before it was recorded is dropped; one whose instant passed while stopped completes at start")
    func keyFilesRecover() throws {
        let directory = try TemporaryDirectory(prefix: "loa-keys")
        defer { directory.remove() }
        let clock = ShiftedClock()
        let files = ControllerKeyFiles(directory: directory.url, name: "loa.xa-thu-nghiem")
        let first = try files.load(clock: clock.function).active
        #expect(try files.history().map(\.key) == [first.verifier.text])

        // A next key on disk that the history never named was never announced: dropped.
        let stray = directory.path("controller-next.key")
        try Data((SigningKey(name: "loa.xa-thu-nghiem").rawPrivateKey.base64EncodedString() + "\n").utf8).write(to: stray)
        #expect(try files.load(clock: clock.function).active.verifier == first.verifier)
        #expect(!FileManager.default.fileExists(atPath: stray.path))

        // A recorded rotation whose instant passed while the controller was stopped completes at start.
        let next = SigningKey(name: "loa.xa-thu-nghiem")
        try Data((next.rawPrivateKey.base64EncodedString() + "\n").utf8).write(to: stray)
        let history = [
            ControllerKeyRecord(key: first.verifier, retiredAt: clock.now.addingTimeInterval(-5)),
            ControllerKeyRecord(key: next.verifier, validFrom: clock.now.addingTimeInterval(-5), announcement: "{}"),
        ]
        try WireCoding.encode(history).write(to: directory.path("keys.json"))
        let ring = try files.load(clock: clock.function)
        #expect(ring.active.verifier == next.verifier && ring.rotation == nil)
        #expect(try SigningKey.loadOrCreate(name: "loa.xa-thu-nghiem", at: directory.path("controller.key")).verifier == next.verifier)
        #expect(!FileManager.default.fileExists(atPath: stray.path))
    }

    /// The key texts a receiver's stored verifier state trusts.
    func trusted(in file: URL) throws -> [String] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        return try WireCoding.decode(VerifierState.self, from: data).trustedKeys.map(\.text)
    }

    /// The keys that signed the stored checkpoints, in order of size, each key once.
    func checkpointSigners(_ database: String, keys: [VerifierKey]) throws -> [VerifierKey] {
        var signers: [VerifierKey] = []
        for note in try LogAudit.checkpointNotes(databaseAt: database) {
            for key in keys where (try? Checkpoint.open(note, keys: [key])) != nil && signers.last != key {
                signers.append(key)
            }
        }
        return signers
    }
}
