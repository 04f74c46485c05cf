#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The receiver's gate for downward messages: it opens a `SignedEnvelope` and
/// refuses what is oversized, malformed, unsigned, signed by an unknown key,
/// forged, signed for another topic, a duplicate, a replay, expired, issued in
/// the future or older than the version last applied on its topic. Every
/// refusal is counted; a refused message changes nothing but the counts, so the
/// receiver keeps working after any amount of garbage.
///
/// It is a value: the receiver keeps it in its actor, and persists `state`
/// after each accepted message (and restores it at start) so rollback and
/// replay protection survive restarts.
public struct DownwardMessageVerifier: Sendable {
    /// Limits of the checks.
    public struct Policy: Sendable, Equatable {
        /// Envelopes larger than this are refused unread.
        public var maximumBytes: Int
        /// How far in the future `issuedAt` may be (the receiver's clock may lag).
        public var clockSkew: TimeInterval
        /// At most this many accepted ids are remembered for replay detection
        /// (older ones are covered by the version check and by expiry).
        public var rememberedMessages: Int

        /// 256 KiB, 5 minutes of skew, 4096 ids.
        public init(maximumBytes: Int = 256 * 1024, clockSkew: TimeInterval = 300, rememberedMessages: Int = 4096) {
            self.maximumBytes = maximumBytes
            self.clockSkew = clockSkew
            self.rememberedMessages = rememberedMessages
        }
    }

    /// What the verifier remembers; persist it after every accepted message.
    public private(set) var state: VerifierState
    /// The limits in force.
    public let policy: Policy

    /// Makes a verifier that trusts `keys` (the controller keys from the receiver's
    /// configuration), continuing from a stored `state` when there is one. A
    /// configured key already in the state keeps its stored validity, so a key
    /// retired by an announcement stays retired.
    public init(trusting keys: [VerifierKey], state: VerifierState? = nil, policy: Policy = Policy()) {
        var state = state ?? VerifierState()
        for key in keys where !state.trustedKeys.contains(where: { $0.key == key }) {
            state.trustedKeys.append(.init(key: key))
        }
        self.state = state
        self.policy = policy
    }

    /// Refusals so far, by reason (duplicates included).
    public var refusalCounts: [Refusal.Reason: Int] { state.refusalCounts }

    /// The keys whose signatures are accepted at `now`.
    public func trustedKeys(at now: Date) -> [VerifierKey] {
        state.trustedKeys.filter { $0.isValid(at: now) }.compactMap(\.key)
    }

    /// The last version applied on `topic`, if any.
    public func lastVersion(on topic: String) -> Int? { state.topics[topic]?.version }

    /// Checks `data`, received on `topic` at `now`, and returns the message to act on,
    /// or why it must be ignored. Only an accepted message changes the state
    /// (besides the refusal counts); an accepted `KeyAnnouncement` adds its key.
    public mutating func open(_ data: Data, topic: String, now: Date) -> Result<Opened, Refusal> {
        switch check(data, topic: topic, now: now) {
        case .success(let opened):
            commit(opened, now: now)
            return .success(opened)
        case .failure(let refusal):
            state.refusalCounts[refusal.reason, default: 0] += 1
            return .failure(refusal)
        }
    }

    private func check(_ data: Data, topic: String, now: Date) -> Result<Opened, Refusal> {
        guard data.count <= policy.maximumBytes else {
            return .failure(.init(.oversized, "\(data.count) bytes, more than the \(policy.maximumBytes) allowed"))
        }
        guard let fields = try? JSONDecoder().decode(SignatureFields.self, from: data) else {
            return .failure(.init(.malformed, "not a JSON object (\(data.count) bytes)"))
        }
        guard fields.named else {
            return .failure(.init(.unsigned, "no signature or keyID field"))
        }
        let envelope: SignedEnvelope
        do {
            envelope = try WireCoding.decode(SignedEnvelope.self, from: data)
        } catch {
            return .failure(.init(.malformed, "\(error)"))
        }
        guard envelope.format == SignedEnvelope.currentFormat else {
            return .failure(.init(.malformed, "envelope format \(envelope.format) is not \(SignedEnvelope.currentFormat)"))
        }
        guard let keyID = envelope.keyID, let signatureText = envelope.signature else {
            return .failure(.init(.unsigned, "null signature or keyID"))
        }
        let candidates = state.trustedKeys.filter { $0.key?.keyID.hexString == keyID.lowercased() }
        guard !candidates.isEmpty else { return .failure(.init(.unknownKey, "key id \(keyID) is not trusted")) }
        let valid = candidates.filter { $0.isValid(at: now, tolerance: policy.clockSkew) }.compactMap(\.key)
        guard !valid.isEmpty else {
            // The retained copy of a message already applied, signed by a key retired since
            // (a key announcement after its rotation): a duplicate, not an attack.
            if let last = state.topics[topic], UUID(uuidString: envelope.id) == last.id {
                return .failure(.init(.duplicate, "message \(envelope.id) was already applied"))
            }
            return .failure(.init(.unknownKey, "key id \(keyID) is retired or not yet valid"))
        }
        guard let signature = Data(base64Encoded: signatureText), signature.count == 64 else {
            return .failure(.init(.badSignature, "the signature is not 64 bytes of base64"))
        }
        guard let signed = envelope.signedBytes else {
            return .failure(.init(.malformed, "a header field holds a line break"))
        }
        guard let signer = valid.first(where: { $0.isValidSignature(signature, for: signed) }) else {
            return .failure(.init(.badSignature, "the signature by key \(keyID) does not verify"))
        }
        guard envelope.topic == topic else {
            return .failure(.init(.wrongTopic, "signed for \(envelope.topic), arrived on \(topic)"))
        }
        guard let id = UUID(uuidString: envelope.id), let issuedAt = WireCoding.parse(envelope.issuedAt),
              let expiresAt = WireCoding.parse(envelope.expiresAt)
        else {
            return .failure(.init(.malformed, "id, issuedAt or expiresAt is not a UUID or RFC 3339 instant"))
        }
        let last = state.topics[topic]
        if last?.id == id {
            return .failure(.init(.duplicate, "message \(id) (version \(envelope.version)) was already applied"))
        }
        if state.recentMessages.contains(where: { $0.id == id }) {
            return .failure(.init(.replayed, "message \(id) was accepted before"))
        }
        guard now < expiresAt else {
            return .failure(.init(.expired, "expired at \(envelope.expiresAt)"))
        }
        guard issuedAt <= now.addingTimeInterval(policy.clockSkew) else {
            return .failure(.init(.issuedInFuture, "issued at \(envelope.issuedAt), beyond the allowed clock skew"))
        }
        if let last, envelope.version <= last.version {
            return .failure(.init(
                .rolledBack, "version \(envelope.version) is not newer than the applied version \(last.version)"))
        }
        var opened = Opened(
            envelope: envelope, topic: topic, id: id, version: envelope.version, issuedAt: issuedAt,
            expiresAt: expiresAt, payload: Data(envelope.body.utf8), signer: signer, adoptedKey: nil)
        do {
            if let announcement = try KeyAnnouncement.parse(body: envelope.body) {
                opened.adoptedKey = try VerifierKey(text: announcement.key)
            }
        } catch {
            return .failure(.init(.malformed, "\(error)"))
        }
        return .success(opened)
    }

    private mutating func commit(_ opened: Opened, now: Date) {
        state.topics[opened.topic] = .init(version: opened.version, id: opened.id)
        state.recentMessages.removeAll { $0.expiresAt <= now }
        state.recentMessages.append(.init(id: opened.id, expiresAt: opened.expiresAt))
        if state.recentMessages.count > policy.rememberedMessages {
            state.recentMessages.removeFirst(state.recentMessages.count - policy.rememberedMessages)
        }
        if let key = opened.adoptedKey, let announcement = try? KeyAnnouncement.parse(body: opened.envelope.body) {
            adopt(key, announcement: announcement)
        }
    }

    private mutating func adopt(_ key: VerifierKey, announcement: KeyAnnouncement) {
        if let index = state.trustedKeys.firstIndex(where: { $0.key == key }) {
            state.trustedKeys[index].validFrom = announcement.validFrom
            state.trustedKeys[index].retiredAt = nil
        } else {
            state.trustedKeys.append(.init(key: key, validFrom: announcement.validFrom))
        }
        for text in announcement.retiring {
            guard let retiring = try? VerifierKey(text: text), retiring != key else { continue }
            for index in state.trustedKeys.indices where state.trustedKeys[index].key == retiring {
                state.trustedKeys[index].retiredAt = announcement.validFrom
            }
        }
    }
}

/// Whether a message names both fields of a signature (even as `null`), read before the
/// envelope is decoded in full, so a message without them is refused as unsigned rather
/// than malformed. Decoding fails when the message is not a JSON object.
private struct SignatureFields: Decodable {
    let named: Bool

    private enum Key: String, CodingKey { case signature, keyID }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Key.self)
        named = fields.contains(.signature) && fields.contains(.keyID)
    }
}
