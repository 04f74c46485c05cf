public import Foundation
public import LoaProtocol

/// Where a controller keeps its commune's signing keys and media secret:
///
/// - `ControllerKeyFiles`: in its data folder (the commune's default: SQLite, one controller);
/// - `DatabaseKeyVault`: in the province's PostgreSQL database, sealed with the secrets
///   key (`ControllerConfiguration.secretsKeyFile`), so that the commune's controllers
///   share them without a shared folder.
public protocol ControllerKeyVault: Sendable {
    /// Reads the keys, making the first ones on first start, and finishes a rotation
    /// whose instant passed while no controller ran.
    /// - Parameter clock: decides whether a rotation is due; the ring keeps it.
    func load(clock: @escaping @Sendable () -> Date) async throws -> ControllerKeyRing
    /// The public history of keys, oldest first (`GET /log/keys`).
    func history() async throws -> [ControllerKeyRecord]
    /// The secret media tokens are made with (`MediaToken`).
    func mediaSecret() async throws -> Data
    /// Keeps a rotation from `current` to `rotation.next`, announced.
    /// - Throws: `KeyRotationError.alreadyRotating` when one is kept already.
    func saveRotation(from current: SigningKey, to rotation: ControllerKeyRing.Rotation) async throws
    /// Makes a due rotation's next key the current one, kept and in `ring`.
    /// - Returns: the retired key when this call made the change; nil when no rotation
    ///   was due or another controller of the commune made it first.
    func completeRotation(of ring: ControllerKeyRing) async throws -> SigningKey?
    /// Brings `ring` up to what the other controllers of the commune kept: a rotation one
    /// of them scheduled, or completed.
    func refresh(_ ring: ControllerKeyRing) async throws
}

extension ControllerKeyRing {
    /// The ring of a `current` key and, when `history` announces it, the rotation to `next`.
    /// - Returns: nil for the rotation when `next` was never announced (a start stopped
    ///   between keeping the key and its announcement).
    static func restored(
        current: SigningKey, next: SigningKey?, history: [ControllerKeyRecord], clock: @escaping @Sendable () -> Date
    ) -> ControllerKeyRing {
        ControllerKeyRing(current: current, rotation: next.flatMap { Rotation(next: $0, announcedIn: history) }, clock: clock)
    }
}

extension ControllerKeyRing.Rotation {
    /// The rotation to `next` as `history` announces it; nil when it does not.
    init?(next: SigningKey, announcedIn history: [ControllerKeyRecord]) {
        guard let record = history.last(where: { $0.key == next.verifier.text }), let validFrom = record.validFrom,
            let announcement = record.announcement
        else { return nil }
        self.init(next: next, validFrom: validFrom, announcement: Data(announcement.utf8))
    }
}

extension [ControllerKeyRecord] {
    /// The history once `current` retires at `rotation.validFrom` and the next key is announced.
    func rotating(from current: SigningKey, to rotation: ControllerKeyRing.Rotation) -> [ControllerKeyRecord] {
        var history = self
        if let index = history.lastIndex(where: { $0.key == current.verifier.text }) {
            history[index].retiredAt = rotation.validFrom
        } else {
            history.append(ControllerKeyRecord(key: current.verifier, retiredAt: rotation.validFrom))
        }
        history.append(ControllerKeyRecord(
            key: rotation.next.verifier, validFrom: rotation.validFrom,
            announcement: String(decoding: rotation.announcement, as: UTF8.self)))
        return history
    }
}
