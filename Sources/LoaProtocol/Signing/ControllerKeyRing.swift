#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Synchronization

/// The controller's signing keys over time: the key in force and, during a
/// rotation, the next key with the instant it takes over. Everything that signs
/// (downward messages, log checkpoints) asks `active` at the moment it signs, so
/// the switch happens at `validFrom` everywhere at once, without a restart.
public final class ControllerKeyRing: Sendable {
    /// A rotation under way: the next key, from when, and its announcement
    /// (a `KeyAnnouncement` sealed by the current key, published to the receivers).
    public struct Rotation: Sendable {
        /// The key that takes over.
        public let next: SigningKey
        /// From this instant `next` signs and the current key is retired.
        public let validFrom: Date
        /// The sealed announcement (envelope JSON) as published.
        public let announcement: Data

        /// A rotation to `next` at `validFrom`, announced by `announcement`.
        public init(next: SigningKey, validFrom: Date, announcement: Data) {
            self.next = next
            self.validFrom = validFrom
            self.announcement = announcement
        }
    }

    private struct State {
        var current: SigningKey
        var rotation: Rotation?
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Date

    /// Keys starting from `current`, with a rotation already scheduled or not.
    /// - Parameter clock: the time that decides whether the rotation is due.
    public init(current: SigningKey, rotation: Rotation? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        state = Mutex(State(current: current, rotation: rotation))
        self.clock = clock
    }

    /// The key that signs now: the next key once its `validFrom` has come.
    public var active: SigningKey {
        let now = clock()
        return state.withLock { state in
            if let rotation = state.rotation, now >= rotation.validFrom { return rotation.next }
            return state.current
        }
    }

    /// The rotation under way, if any (also after its `validFrom`, until `completeRotation`).
    public var rotation: Rotation? { state.withLock { $0.rotation } }

    /// True when a rotation's `validFrom` has come and it is not completed yet.
    public var isRotationDue: Bool {
        let now = clock()
        return state.withLock { state in state.rotation.map { now >= $0.validFrom } ?? false }
    }

    /// Schedules `rotation`.
    /// - Throws: `KeyRotationError.alreadyRotating` when one is under way already.
    public func schedule(_ rotation: Rotation) throws {
        try state.withLock { state in
            if let pending = state.rotation { throw KeyRotationError.alreadyRotating(until: pending.validFrom) }
            state.rotation = rotation
        }
    }

    /// Replaces what the ring holds with keys kept elsewhere (another controller of the
    /// commune rotated them), as if it had been made with them.
    public func reset(current: SigningKey, rotation: Rotation?) {
        state.withLock { $0 = State(current: current, rotation: rotation) }
    }

    /// Makes the next key the current one once the rotation is due.
    /// - Returns: the key retired, or nil when no rotation was due.
    @discardableResult
    public func completeRotation() -> SigningKey? {
        let now = clock()
        return state.withLock { state in
            guard let rotation = state.rotation, now >= rotation.validFrom else { return nil }
            let retired = state.current
            state.current = rotation.next
            state.rotation = nil
            return retired
        }
    }
}

/// A key rotation that cannot be started.
public enum KeyRotationError: Error, Equatable, CustomStringConvertible {
    /// Another rotation has not finished yet.
    case alreadyRotating(until: Date)
    /// The new key would take over in the past or too soon for the receivers to hear of it.
    case tooSoon(earliest: Date)

    public var description: String {
        switch self {
        case .alreadyRotating(let until):
            "Đang đổi khóa, khóa mới có hiệu lực lúc \(WireCoding.format(until)); chờ xong rồi đổi tiếp "
                + "(a key rotation is under way until \(WireCoding.format(until)); wait for it to complete)"
        case .tooSoon(let earliest):
            "Khóa mới phải có hiệu lực sau \(WireCoding.format(earliest)) để các thiết bị kịp nhận thông báo "
                + "(the new key must take over after \(WireCoding.format(earliest)) so the devices hear of it first)"
        }
    }
}
