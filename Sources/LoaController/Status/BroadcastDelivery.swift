public import Foundation
import LoaDomain
import LoaProtocol

/// Where one broadcast stands on every receiver it was meant for: the read model
/// of the console's live delivery view and of `GET /api/v1/deliveries/:item`.
///
/// A broadcast is what airs at one time in several hamlets: a programme's airing
/// (`programme@date/place`) or a one-off announcement (its id); its item in hamlet
/// `h` is `broadcast@h`, which is what receivers report on.
public struct BroadcastDelivery: Sendable, Equatable, Codable {
    /// The broadcast's key.
    public var broadcast: String
    /// Its title, when the active schedule or the announcement names it.
    public var title: String?
    /// One entry per hamlet it airs in (or has events from), in the site's order.
    public var hamlets: [HamletDelivery]
    /// When this view was computed, on the controller's clock.
    public var at: Date

    /// How many receivers are in each state.
    public var counts: [ReceiverDelivery.State: Int] {
        Dictionary(grouping: hamlets.flatMap(\.receivers), by: \.state).mapValues(\.count)
    }

    /// True when no receiver waits any more: each finished, failed, missed or was preempted.
    /// A hamlet without any receiver has nothing to wait for: see ``hamletsWithoutReceivers``.
    public var isSettled: Bool { hamlets.allSatisfy { $0.receivers.allSatisfy(\.state.isFinal) } }

    /// The hamlets it was meant for that have no receiver at all: nobody there heard it.
    public var hamletsWithoutReceivers: [HamletDelivery] { hamlets.filter(\.receivers.isEmpty) }
}

/// The broadcast in one hamlet.
public struct HamletDelivery: Sendable, Equatable, Codable {
    public var hamlet: String
    public var name: String
    /// The item id receivers of this hamlet report on.
    public var item: String
    /// When it is to start here, when the plan or the announcement says.
    public var scheduledAt: Date?
    /// Why the controller could not send it in time, when it could not (a `missed` of device `controller`).
    public var notSent: String?
    public var receivers: [ReceiverDelivery]
}

/// One receiver's part in a broadcast.
public struct ReceiverDelivery: Sendable, Equatable, Codable {
    public var device: String
    /// Online by its last state message; nil when it never sent one.
    public var online: Bool?
    public var lastSeen: Date?
    public var state: State
    /// The receiver's clock at its latest event for the item.
    public var updatedAt: Date?
    /// When the first frame left the sound card (the `started` event's measurement).
    public var startedAt: Date?
    /// Start minus the scheduled instant, ms (positive = late).
    public var startOffsetMs: Double?
    public var finishedAt: Date?
    public var playedMs: Int?
    /// Why it failed, was missed or preempted.
    public var reason: String?

    /// How far a receiver got, in the order an airing goes.
    public enum State: String, Sendable, Codable, CaseIterable, Comparable {
        /// Nothing reported yet.
        case waiting
        /// It has the item in its schedule.
        case received
        /// The audio is downloaded and verified.
        case ready
        /// Playback began.
        case started
        /// Played to the end.
        case finished
        case failed, missed, preempted
        /// Taken off the schedule before it sounded.
        case cancelled

        /// True when nothing more will happen.
        public var isFinal: Bool { [.finished, .failed, .missed, .preempted, .cancelled].contains(self) }

        public static func < (lhs: State, rhs: State) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        init?(_ kind: DeviceEvent.Kind) {
            switch kind {
            case .received: self = .received
            case .ready: self = .ready
            // A relay's gaps and returns: it is still on air.
            case .started, .interrupted, .resumed: self = .started
            case .finished: self = .finished
            case .failed: self = .failed
            case .missed: self = .missed
            case .preempted: self = .preempted
            case .cancelled: self = .cancelled
            case .displayed, .stillDisplayed, .takenDown: return nil
            }
        }
    }

    /// A receiver's delivery from its events for the item, in arrival order.
    init(device: DeviceState?, name: String, events: [DeviceEvent]) {
        self.device = name
        online = device.map { $0.status == .online }
        lastSeen = device?.at
        state = .waiting
        for event in events {
            guard let reached = State(event.kind) else { continue }
            // A final state stays; a late `ready` after `started` does not step back.
            if !state.isFinal, reached > state || reached.isFinal { state = reached }
            updatedAt = max(updatedAt ?? event.at, event.at)
            switch event.kind {
            case .started:
                startedAt = event.measuredStartAt ?? event.at
                startOffsetMs = event.startOffsetMs
            case .finished:
                finishedAt = event.at
                playedMs = event.playedMs
            case .failed, .missed, .preempted, .cancelled:
                reason = event.reason
            default: break
            }
        }
    }
}
