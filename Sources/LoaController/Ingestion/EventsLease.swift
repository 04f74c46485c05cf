import Foundation
import Synchronization

/// Whether this controller takes in the commune's device events now. Where several
/// controllers share the commune's database, only the one holding the commune's
/// `events` lease (`ControllerJobs.eventIntake`) subscribes to them (``takenOrLost``)
/// and checks, stores and receipts them. Each event is then delivered and handled once,
/// not once per controller (two deliveries, two admissions, two transactions on the
/// log's head and two signed receipts before). Between a lease's move and the
/// unsubscription, events that still arrive are let pass (``holds(at:)``).
///
/// Why not the broker's shared subscriptions (`$share/…`), which would hand each event
/// to one controller: Mosquitto grants any client's SUBSCRIBE and applies the ACL only
/// on delivery, so a device could join the controllers' share and take its turn of the
/// events, which the broker then drops for it.
///
/// Events sent while no controller was subscribed (the lease moving), let pass while a
/// controller wrongly believed another held the lease, or handed to a killed holder and
/// never stored, are not lost: a receiver sends
/// again, every 10 s, what no receipt named.
final class EventsLease: Sendable {
    private struct State {
        var heldUntil: Date?
        /// Whether the lease was taken or renewed since it was last found lost.
        var taken = false
    }
    private let state = Mutex(State())
    private let changes: AsyncStream<Bool>.Continuation
    /// True when the lease is taken, false when it is found lost, each once per change:
    /// the ingestion subscribes to the devices' events only while the lease is held, so
    /// the broker sends each event to one controller of the commune, not to all.
    let takenOrLost: AsyncStream<Bool>

    init() {
        (takenOrLost, changes) = AsyncStream.makeStream(of: Bool.self)
    }

    /// The lease was taken or renewed at `now`: events are taken in until `now + duration`.
    func renewed(at now: Date, for duration: TimeInterval) {
        let taken = state.withLock { state in
            state.heldUntil = now.addingTimeInterval(duration)
            defer { state.taken = true }
            return !state.taken
        }
        if taken { changes.yield(true) }
    }

    /// The lease is not held (given up to another controller, or taken over): no more events now.
    func lost() {
        let lost = state.withLock { state in
            state.heldUntil = nil
            defer { state.taken = false }
            return state.taken
        }
        if lost { changes.yield(false) }
    }

    /// Whether the lease was taken or renewed since it was last found lost (what
    /// ``takenOrLost`` last said).
    var isTaken: Bool { state.withLock { $0.taken } }

    /// Whether this controller takes in events arriving at `now`.
    func holds(at now: Date) -> Bool { state.withLock { $0.heldUntil.map { now < $0 } ?? false } }
}
