import Foundation
import LoaProtocol
import Testing

@Suite("Signed downward messages: a receiver refuses and counts every bad one, and keeps working")
struct SignedEnvelopeTests {
    let controller = SigningKey(name: "loa.xa-ha-binh")
    let topic = "loa/v1/xa-ha-binh/zone/thon-dong/schedule"
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let payload = Data(#"{"format":1,"site":"xa-ha-binh","zone":"thon-dong","version":7,"items":[],"title":"Thông báo"}"#.utf8)

    func seal(
        _ payload: Data? = nil, key: SigningKey? = nil, topic: String? = nil, version: Int,
        issued: TimeInterval = -10, expires: TimeInterval = 3600, id: UUID = UUID()
    ) throws -> Data {
        try MessageSigner(key: key ?? controller).seal(
            payload: payload ?? self.payload, topic: topic ?? self.topic, version: version,
            issuedAt: now.addingTimeInterval(issued), expiresAt: now.addingTimeInterval(expires), id: id)
    }

    func reason(_ result: Result<DownwardMessageVerifier.Opened, DownwardMessageVerifier.Refusal>) -> DownwardMessageVerifier.Refusal.Reason? {
        if case .failure(let refusal) = result { return refusal.reason }
        return nil
    }

    @Test("a valid message opens to the exact payload bytes, signer and version")
    func validMessage() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier])
        let opened = try verifier.open(try seal(version: 1), topic: topic, now: now).get()
        #expect(opened.payload == payload)
        #expect(opened.version == 1)
        #expect(opened.signer == controller.verifier)
        #expect(verifier.lastVersion(on: topic) == 1)
        #expect(verifier.refusalCounts.isEmpty)
    }

    @Test("the envelope is readable JSON whose body is the exact payload text")
    func layout() throws {
        let data = try seal(version: 3)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["body"] as? String == String(decoding: payload, as: UTF8.self))
        #expect(object["topic"] as? String == topic)
        #expect(object["version"] as? Int == 3)
        #expect(object["keyID"] as? String == controller.verifier.keyID.map { String(format: "%02x", $0) }.joined())
        #expect((object["signature"] as? String).flatMap { Data(base64Encoded: $0) }?.count == 64)
        let envelope = try WireCoding.decode(SignedEnvelope.self, from: data)
        let signed = try #require(envelope.signedBytes)
        let expectedHeader = "loa-downward-message/v1\n\(topic)\n\(envelope.id)\n3\n\(envelope.issuedAt)\n\(envelope.expiresAt)\n"
        #expect(signed == Data(expectedHeader.utf8) + payload)
    }

    @Test("the corpus: each bad message is refused with its reason and counted, and a good one still opens after each")
    func corpus() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier])
        let stranger = SigningKey(name: "loa.xa-ha-binh")
        let firstID = UUID()
        let first = try seal(version: 1, id: firstID)
        let opened1 = verifier.open(first, topic: topic, now: now)
        #expect(reason(opened1) == nil)
        let second = try seal(version: 2)
        let opened2 = verifier.open(second, topic: topic, now: now)
        #expect(reason(opened2) == nil)

        // A forged signature: the body altered after signing.
        var forged = try JSONSerialization.jsonObject(with: try seal(version: 10)) as! [String: Any]
        forged["body"] = #"{"format":1,"items":[{"title":"giả mạo"}]}"#
        let forgedData = try JSONSerialization.data(withJSONObject: forged)
        // A signature of the right shape, random bytes.
        var random = try JSONSerialization.jsonObject(with: try seal(version: 10)) as! [String: Any]
        random["signature"] = Data((0..<64).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let randomData = try JSONSerialization.data(withJSONObject: random)
        // The version raised by the attacker, signature left as is.
        var raised = try JSONSerialization.jsonObject(with: try seal(version: 3)) as! [String: Any]
        raised["version"] = 1_000
        let raisedData = try JSONSerialization.data(withJSONObject: raised)
        var unsignedEnvelope = try JSONSerialization.jsonObject(with: try seal(version: 10)) as! [String: Any]
        unsignedEnvelope.removeValue(forKey: "signature")
        var nullSignature = try JSONSerialization.jsonObject(with: try seal(version: 10)) as! [String: Any]
        nullSignature["signature"] = NSNull()
        // A line break in a header field would make the signed layout ambiguous.
        var brokenHeader = try JSONSerialization.jsonObject(with: try seal(version: 10)) as! [String: Any]
        brokenHeader["issuedAt"] = (brokenHeader["issuedAt"] as! String) + "\r"
        let fresh = try seal(version: 10)

        let corpus: [(String, Data, String, DownwardMessageVerifier.Refusal.Reason)] = [
            ("forged body", forgedData, topic, .badSignature),
            ("random signature", randomData, topic, .badSignature),
            ("raised version", raisedData, topic, .badSignature),
            ("unknown key with the same name", try seal(key: stranger, version: 10), topic, .unknownKey),
            ("wrong topic", try seal(topic: "loa/v1/xa-ha-binh/zone/thon-tay/schedule", version: 10), topic, .wrongTopic),
            ("expired", try seal(version: 10, issued: -7200, expires: -1), topic, .expired),
            ("issued in the future", try seal(version: 10, issued: 3600, expires: 7200), topic, .issuedInFuture),
            ("replayed", first, topic, .replayed),
            ("rolled back", try seal(version: 1), topic, .rolledBack),
            ("same version, other id", try seal(version: 2), topic, .rolledBack),
            ("duplicate of the last accepted", Data(), topic, .duplicate),
            ("truncated", fresh.prefix(fresh.count / 2), topic, .malformed),
            ("not JSON", Data("khẩn cấp: sơ tán ngay".utf8), topic, .malformed),
            ("JSON array", Data("[1,2,3]".utf8), topic, .malformed),
            ("empty", Data(), topic, .malformed),
            ("bare schedule document", payload, topic, .unsigned),
            ("signature removed", try JSONSerialization.data(withJSONObject: unsignedEnvelope), topic, .unsigned),
            ("signature null", try JSONSerialization.data(withJSONObject: nullSignature), topic, .unsigned),
            ("line break in a header field", try JSONSerialization.data(withJSONObject: brokenHeader), topic, .malformed),
            ("JSON string", Data(#""signature keyID""#.utf8), topic, .malformed),
            ("oversized", try seal(Data(("{\"pad\":\"" + String(repeating: "a", count: 300_000) + "\"}").utf8), version: 10), topic, .oversized),
        ]
        var version = 2
        var lastAccepted = second
        var expected: [DownwardMessageVerifier.Refusal.Reason: Int] = [:]
        for (name, data, arrivedOn, want) in corpus {
            let got = reason(verifier.open(want == .duplicate ? lastAccepted : data, topic: arrivedOn, now: now))
            #expect(got == want, "\(name): expected \(want), got \(String(describing: got))")
            expected[want, default: 0] += 1
            #expect(verifier.lastVersion(on: topic) == version, "\(name) changed the applied version")
            version += 1
            lastAccepted = try seal(version: version)
            let opened3 = verifier.open(lastAccepted, topic: topic, now: now)
            #expect(reason(opened3) == nil, "not working after \(name)")
        }
        #expect(verifier.refusalCounts == expected)
        #expect(verifier.refusalCounts.values.reduce(0, +) == corpus.count)
        #expect(verifier.refusalCounts[.badSignature] == 3)
        #expect(verifier.refusalCounts[.malformed] == 6)
    }

    @Test("a small clock skew is allowed; a message is refused exactly at its expiry")
    func clockEdges() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier], policy: .init(clockSkew: 60))
        let opened4 = verifier.open(try seal(version: 1, issued: 59, expires: 600), topic: topic, now: now)
        #expect(reason(opened4) == nil)
        let opened5 = verifier.open(try seal(version: 2, issued: 61, expires: 600), topic: topic, now: now)
        #expect(reason(opened5) == .issuedInFuture)
        let opened6 = verifier.open(try seal(version: 3, issued: -600, expires: 0), topic: topic, now: now)
        #expect(reason(opened6) == .expired)
    }

    @Test("the state survives a restart through Codable: rollback and replay stay refused")
    func persistedState() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier])
        let old = try seal(version: 4)
        _ = verifier.open(old, topic: topic, now: now)
        _ = verifier.open(try seal(version: 5), topic: topic, now: now)
        _ = verifier.open(Data("rác".utf8), topic: topic, now: now)
        let stored = try JSONEncoder().encode(verifier.state)
        let restored = try JSONDecoder().decode(VerifierState.self, from: stored)
        #expect(restored == verifier.state)
        var again = DownwardMessageVerifier(trusting: [controller.verifier], state: restored)
        let opened7 = again.open(old, topic: topic, now: now)
        #expect(reason(opened7) == .replayed)
        let opened8 = again.open(try seal(version: 3), topic: topic, now: now)
        #expect(reason(opened8) == .rolledBack)
        #expect(again.refusalCounts == [.malformed: 1, .replayed: 1, .rolledBack: 1])
        let opened9 = again.open(try seal(version: 6), topic: topic, now: now)
        #expect(reason(opened9) == nil)
    }

    @Test("versions are per topic; a message signed for one hamlet is refused on another")
    func perTopic() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier])
        let other = "loa/v1/xa-ha-binh/zone/thon-tay/schedule"
        let opened10 = verifier.open(try seal(version: 9), topic: topic, now: now)
        #expect(reason(opened10) == nil)
        let opened11 = verifier.open(try seal(topic: other, version: 1), topic: other, now: now)
        #expect(reason(opened11) == nil)
        let opened12 = verifier.open(try seal(version: 9), topic: other, now: now)
        #expect(reason(opened12) == .wrongTopic)
    }

    @Test("only messages that are still valid are remembered for replay, within a bound")
    func boundedMemory() throws {
        var verifier = DownwardMessageVerifier(trusting: [controller.verifier], policy: .init(rememberedMessages: 8))
        for version in 1...20 {
            _ = verifier.open(try seal(version: version), topic: topic, now: now)
        }
        #expect(verifier.state.recentMessages.count == 8)
        _ = verifier.open(try seal(version: 21, expires: 10), topic: topic, now: now)
        _ = verifier.open(try seal(version: 22), topic: topic, now: now.addingTimeInterval(20))
        #expect(verifier.state.recentMessages.count == 8)
        #expect(verifier.lastVersion(on: topic) == 22)
    }
}
