public import Foundation
import LoaDomain
public import LoaProtocol
import LoaMQTT
import LoaStore
import Logging

/// Rotates the controller's signing key with notice: the next key is announced,
/// signed by the current one, long enough ahead for every receiver to hear it;
/// at its instant it takes over, every hamlet's document and a checkpoint are
/// signed with it. The key vault keeps the history (`GET /log/keys`).
public struct KeyRotation: Sendable {
    let keys: ControllerKeyRing
    /// Where the keys are kept (the data folder, or the province's database).
    let keyVault: any ControllerKeyVault
    /// Least time between announcing a key and its taking over.
    public let minimumKeyNotice: TimeInterval
    /// The audit trail.
    let audit: any ConsoleAccountStore
    let publisher: DownwardPublisher
    let topics: Topics
    let versions: VersionClock
    let dispatcher: ScheduleDispatcher
    let checkpoints: CheckpointPublisher
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Least time between announcing a new key and its taking over, unless the
    /// settings say otherwise (`keyRotationNoticeSeconds`): online receivers hear
    /// the announcement at once; this leaves room for delivery and clock error.
    public static let defaultKeyNotice: TimeInterval = 600

    /// How long the announcement stays valid: a receiver offline for longer than
    /// this after a rotation must be given the new key by hand (`loa device add`).
    public static let keyAnnouncementValidity: TimeInterval = 90 * 86400

    /// Starts a key rotation: makes a new key, announces it under the current key
    /// (a `KeyAnnouncement` retained on `loa/v1/{site}/keys`, which every receiver
    /// reads before its schedule), and from `validFrom` signs everything with the
    /// new key. The current key's private half is gone once the rotation completes.
    /// - Parameters:
    ///   - validFrom: when the new key takes over; at least `minimumKeyNotice` from now.
    ///   - user: who asked, for the audit trail.
    /// - Returns: the new key's public record.
    /// - Throws: `KeyRotationError` when a rotation is under way or `validFrom` is too soon.
    public func rotateKey(validFrom: Date, by user: String) async throws -> ControllerKeyRecord {
        let now = clock()
        let earliest = now.addingTimeInterval(minimumKeyNotice)
        guard validFrom >= earliest else { throw KeyRotationError.tooSoon(earliest: earliest) }
        if let pending = keys.rotation { throw KeyRotationError.alreadyRotating(until: pending.validFrom) }
        let current = keys.active
        let next = SigningKey(name: current.name)
        let topic = topics.controllerKeys
        let announcement = try MessageSigner(key: current).announce(
            next.verifier, validFrom: validFrom, retiring: [current.verifier], topic: topic,
            version: versions.next(now: now), issuedAt: now,
            expiresAt: validFrom.addingTimeInterval(Self.keyAnnouncementValidity))
        let rotation = ControllerKeyRing.Rotation(next: next, validFrom: validFrom, announcement: announcement)
        try await keyVault.saveRotation(from: current, to: rotation)
        // A refresh between the two may have scheduled it already.
        if keys.rotation == nil { try keys.schedule(rotation) }
        try await audit.recordAudit(ConsoleAuditEntry(at: now, action: .keyRotationScheduled, actor: user, subject: next.verifier.text))
        logger.notice("key rotation scheduled", metadata: [
            "next": "\(next.verifier.text)", "validFrom": "\(WireCoding.format(validFrom))", "by": "\(user)",
        ])
        try await publishKeyAnnouncement()
        return ControllerKeyRecord(
            key: next.verifier, validFrom: validFrom, announcement: String(decoding: announcement, as: UTF8.self))
    }

    /// Publishes the announcement of the rotation under way (retained), e.g. again at start-up.
    func publishKeyAnnouncement() async throws {
        guard let rotation = keys.rotation else { return }
        try await publisher.publish("keys", topic: topics.controllerKeys, payload: rotation.announcement, retain: true)
    }

    /// Completes a rotation whose instant has come: the new key becomes the
    /// current one where the keys are kept, every hamlet's document is sealed again
    /// with it and a checkpoint is signed with it. Does nothing when no rotation is due,
    /// and nothing but the switch in memory when another controller of the commune
    /// completed it first (that one republishes).
    func completeDueRotation() async throws {
        guard let retired = try await keyVault.completeRotation(of: keys) else { return }
        let key = keys.active.verifier.text
        try await audit.recordAudit(ConsoleAuditEntry(at: clock(), action: .keyRotated, actor: DeviceEvent.controllerDevice, subject: key))
        logger.notice("controller key rotated", metadata: ["retired": "\(retired.verifier.text)", "key": "\(key)"])
        try await dispatcher.publishAllSchedules()
        _ = try await checkpoints.publish()
    }
}
