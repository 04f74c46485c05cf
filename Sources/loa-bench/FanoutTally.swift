import Synchronization

/// What the receivers and the collector saw in the current phase, by receiver.
///
/// Times are `MonotonicTime` nanoseconds, so arrivals reported by fleet worker
/// processes and the controller's send instant are on one clock.
final class FanoutTally: FleetTally {
    enum Phase: Sendable { case raw, loa }

    struct Counts {
        var received = 0
        var verified = 0
        var events = 0
        var durable = 0
    }

    struct Figures {
        var received: Int
        var verified: Int
        var events: Int
        var durable: Int
        var receivedMs: [Double]
        var lastVerifiedMs: Double
        var lastEventMs: Double
        var lastDurableMs: Double
    }

    private struct State {
        var phase = Phase.raw
        var round = 0
        var start: UInt64 = 0
        var receivedAt: [UInt64?]
        var verifiedAt: [UInt64?]
        var eventAt: [UInt64?]
        var counts = Counts()
        var lastDurable: UInt64 = 0
        var refused = 0
    }

    private let state: Mutex<State>

    init(receivers: Int) {
        state = Mutex(State(
            receivedAt: Array(repeating: nil, count: receivers), verifiedAt: Array(repeating: nil, count: receivers),
            eventAt: Array(repeating: nil, count: receivers)))
    }

    /// The receiver index in a simulated device id (`sim-00042` → 42).
    static func index(of device: String) -> Int? {
        device.hasPrefix("sim-") ? Int(device.dropFirst(4)) : nil
    }

    /// Clears the counts for a new phase sent at `start`.
    func begin(phase: Phase, round: Int, at start: UInt64) {
        state.withLock { state in
            let count = state.receivedAt.count
            state.phase = phase
            state.round = round
            state.start = start
            state.receivedAt = Array(repeating: nil, count: count)
            state.verifiedAt = Array(repeating: nil, count: count)
            state.eventAt = Array(repeating: nil, count: count)
            state.counts = Counts()
        }
    }

    func received(index: Int, at instant: UInt64) {
        state.withLock { state in
            guard index < state.receivedAt.count, state.receivedAt[index] == nil else { return }
            state.receivedAt[index] = instant
            state.counts.received += 1
        }
    }

    func verified(index: Int, at instant: UInt64) {
        state.withLock { state in
            guard index < state.verifiedAt.count, state.verifiedAt[index] == nil else { return }
            state.verifiedAt[index] = instant
            state.counts.verified += 1
        }
    }

    /// `fanout`'s receivers fetch no media.
    func fetched(index: Int, at instant: UInt64) {}

    func refusedOne() { state.withLock { $0.refused += 1 } }

    var refused: Int { state.withLock { $0.refused } }

    /// A proof-of-play event reached the collector; counted once per receiver for the current round.
    func eventArrived(index: Int, item: String, at instant: UInt64) {
        state.withLock { state in
            guard state.phase == .loa, item.hasPrefix("emergency-r\(state.round)@"), index < state.eventAt.count,
                  state.eventAt[index] == nil
            else { return }
            state.eventAt[index] = instant
            state.counts.events += 1
        }
    }

    /// `count` events of the current round were stored durably.
    func stored(_ count: Int, at instant: UInt64) {
        state.withLock { state in
            state.counts.durable += count
            state.lastDurable = instant
        }
    }

    var counts: Counts { state.withLock { $0.counts } }

    func figures() -> Figures {
        state.withLock { state in
            func ms(_ instant: UInt64) -> Double { MonotonicTime.milliseconds(from: state.start, to: instant) }
            return Figures(
                received: state.counts.received, verified: state.counts.verified, events: state.counts.events,
                durable: state.counts.durable, receivedMs: state.receivedAt.compactMap { $0.map(ms) },
                lastVerifiedMs: state.verifiedAt.compactMap { $0.map(ms) }.max() ?? 0,
                lastEventMs: state.eventAt.compactMap { $0.map(ms) }.max() ?? 0,
                lastDurableMs: ms(state.lastDurable))
        }
    }
}
