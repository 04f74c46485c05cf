import Synchronization

/// Counters of an `MQTTNetworkLoop`'s work since it started.
///
/// A turn is one wait for socket readiness. `socketsWatched` sums the client
/// sockets handed to that wait over all turns; `socketsReady` sums those that
/// came back ready. Their ratio shows how much of each turn is bookkeeping for
/// idle sockets.
public struct MQTTNetworkLoopStatistics: Sendable, Equatable {
    /// Waits for readiness (one per turn of the loop).
    public var turns: UInt64
    /// Client sockets handed to the wait, summed over turns.
    public var socketsWatched: UInt64
    /// Client sockets that came back ready, summed over turns.
    public var socketsReady: UInt64

    public init(turns: UInt64 = 0, socketsWatched: UInt64 = 0, socketsReady: UInt64 = 0) {
        self.turns = turns
        self.socketsWatched = socketsWatched
        self.socketsReady = socketsReady
    }
}

/// The loop thread counts; any thread reads.
final class LoopCounters: Sendable {
    private let turns = Atomic<UInt64>(0)
    private let watched = Atomic<UInt64>(0)
    private let ready = Atomic<UInt64>(0)

    func turn(watched: Int, ready: Int) {
        turns.add(1, ordering: .relaxed)
        self.watched.add(UInt64(max(0, watched)), ordering: .relaxed)
        self.ready.add(UInt64(max(0, ready)), ordering: .relaxed)
    }

    var snapshot: MQTTNetworkLoopStatistics {
        MQTTNetworkLoopStatistics(
            turns: turns.load(ordering: .relaxed), socketsWatched: watched.load(ordering: .relaxed),
            socketsReady: ready.load(ordering: .relaxed))
    }
}
