import Foundation
import LoaProtocol
import Testing

@Suite("Key rotation by a key announcement signed under a trusted key")
struct SignedKeyRotationTests {
    let old = SigningKey(name: "loa.xa-ha-binh")
    let new = SigningKey(name: "loa.xa-ha-binh")
    let topic = "loa/v1/xa-ha-binh/device/loa-thon-dong-1/config"
    let schedule = "loa/v1/xa-ha-binh/zone/thon-dong/schedule"
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func schedule(by key: SigningKey, version: Int, at instant: Date) throws -> Data {
        try MessageSigner(key: key).seal(
            payload: Data(#"{"format":1}"#.utf8), topic: schedule, version: version,
            issuedAt: instant, expiresAt: instant.addingTimeInterval(3600))
    }

    @Test("a new key announced under the old one is trusted from validFrom, and the retired key is refused after it")
    func rotation() throws {
        var verifier = DownwardMessageVerifier(trusting: [old.verifier])
        let early = verifier.open(try schedule(by: new, version: 1, at: now), topic: schedule, now: now)
        #expect(early.refusal == .unknownKey)
        let switchAt = now.addingTimeInterval(600)
        let announcement = try MessageSigner(key: old).announce(
            new.verifier, validFrom: switchAt, retiring: [old.verifier], topic: topic, version: 1,
            issuedAt: now, expiresAt: now.addingTimeInterval(86_400))
        let opened = try verifier.open(announcement, topic: topic, now: now).get()
        #expect(opened.adoptedKey == new.verifier)
        #expect(verifier.trustedKeys(at: now) == [old.verifier])
        #expect(verifier.trustedKeys(at: switchAt) == [new.verifier])

        // Before the switch: the old key still works, the new one not yet.
        let result7 = verifier.open(try schedule(by: old, version: 2, at: now), topic: schedule, now: now)
        #expect(throws: Never.self) { try result7.get() }
        let result1 = verifier.open(try schedule(by: new, version: 3, at: now), topic: schedule, now: now)
        #expect(result1.refusal == .unknownKey)
        // Around it, both keys, for clocks that are a little off (the allowed clock skew either side).
        let skew = verifier.policy.clockSkew
        let slightlyEarly = switchAt.addingTimeInterval(-skew + 1)
        let early8 = verifier.open(try schedule(by: new, version: 4, at: slightlyEarly), topic: schedule, now: slightlyEarly)
        #expect(throws: Never.self) { try early8.get() }
        let slightlyLate = switchAt.addingTimeInterval(skew - 1)
        let late8 = verifier.open(try schedule(by: old, version: 5, at: slightlyLate), topic: schedule, now: slightlyLate)
        #expect(throws: Never.self) { try late8.get() }
        // After it: the other way round.
        let later = switchAt.addingTimeInterval(skew + 1)
        let result8 = verifier.open(try schedule(by: new, version: 6, at: later), topic: schedule, now: later)
        #expect(throws: Never.self) { try result8.get() }
        let result2 = verifier.open(try schedule(by: old, version: 7, at: later), topic: schedule, now: later)
        #expect(result2.refusal == .unknownKey)

        // The trust survives a restart even though the configuration still lists the old key.
        let restored = DownwardMessageVerifier(trusting: [old.verifier], state: verifier.state)
        #expect(restored.trustedKeys(at: later) == [new.verifier])
    }

    @Test("an announcement signed by an untrusted key, or forged, adds nothing")
    func untrustedAnnouncement() throws {
        var verifier = DownwardMessageVerifier(trusting: [old.verifier])
        let attacker = SigningKey(name: "loa.xa-ha-binh")
        let selfSigned = try MessageSigner(key: attacker).announce(
            attacker.verifier, validFrom: now, topic: topic, version: 1, issuedAt: now, expiresAt: now.addingTimeInterval(60))
        let result3 = verifier.open(selfSigned, topic: topic, now: now)
        #expect(result3.refusal == .unknownKey)

        // A genuine announcement whose key was swapped in transit.
        let genuine = try MessageSigner(key: old).announce(
            new.verifier, validFrom: now, topic: topic, version: 1, issuedAt: now, expiresAt: now.addingTimeInterval(60))
        var object = try JSONSerialization.jsonObject(with: genuine) as! [String: Any]
        object["body"] = String(decoding: try WireCoding.encode(KeyAnnouncement(key: attacker.verifier, validFrom: now)), as: UTF8.self)
        let result4 = verifier.open(try JSONSerialization.data(withJSONObject: object), topic: topic, now: now)
        #expect(result4.refusal == .badSignature)

        #expect(verifier.trustedKeys(at: now.addingTimeInterval(10)) == [old.verifier])
        let result5 = verifier.open(try schedule(by: attacker, version: 1, at: now), topic: schedule, now: now)
        #expect(result5.refusal == .unknownKey)
        #expect(verifier.refusalCounts == [.unknownKey: 2, .badSignature: 1])
    }

    @Test("a signed announcement with an unreadable key is refused as malformed and changes nothing")
    func badAnnouncement() throws {
        var verifier = DownwardMessageVerifier(trusting: [old.verifier])
        let body = Data(#"{"kind":"key-announcement","key":"not a key","retiring":[],"validFrom":"2026-11-24T10:00:00.000Z"}"#.utf8)
        let sealed = try MessageSigner(key: old).seal(
            payload: body, topic: topic, version: 1, issuedAt: now, expiresAt: now.addingTimeInterval(60))
        let result6 = verifier.open(sealed, topic: topic, now: now)
        #expect(result6.refusal == .malformed)
        #expect(verifier.lastVersion(on: topic) == nil)
        #expect(verifier.trustedKeys(at: now) == [old.verifier])
    }
}

extension Result where Failure == DownwardMessageVerifier.Refusal {
    var refusal: DownwardMessageVerifier.Refusal.Reason? {
        if case .failure(let refusal) = self { return refusal.reason }
        return nil
    }
}
