import Foundation
import Synchronization

/// Whether this controller takes in the commune's device events now. Where several
/// controllers share the commune's database, each gets every event from the broker, and
/// only the one holding the commune's `events` lease (`ControllerJobs.eventIntake`)
/// checks, stores and receipts them; the others let them pass. Each event is then
/// handled once, not once per controller (two admissions, two transactions on the
/// log's head and two signed receipts before).
///
/// Why not the broker's shared subscriptions (`$share/…`), which would hand each event
/// to one controller: Mosquitto grants any client's SUBSCRIBE and applies the ACL only
/// on delivery, so a device could join the controllers' share and take its turn of the
/// events, which the broker then drops for it.
///
/// Events a controller let pass while it wrongly believed another held the lease, or
/// that a killed holder was handed and never stored, are not lost: a receiver sends
/// again, every 10 s, what no receipt named.
final class EventsLease: Sendable {
    private let heldUntil = Mutex<Date?>(nil)

    /// The lease was taken or renewed at `now`: events are taken in until `now + duration`.
    func renewed(at now: Date, for duration: TimeInterval) {
        heldUntil.withLock { $0 = now.addingTimeInterval(duration) }
    }

    /// The lease is not held (given up to another controller, or taken over): no more events now.
    func lost() {
        heldUntil.withLock { $0 = nil }
    }

    /// Whether this controller takes in events arriving at `now`.
    func holds(at now: Date) -> Bool { heldUntil.withLock { $0.map { now < $0 } ?? false } }
}
