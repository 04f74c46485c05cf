import Synchronization

/// Counters of an `MQTTNetworkLoop`'s work since it started.
///
/// A turn is one `epoll_wait`: it costs about what comes back ready, not how
/// many clients the loop holds. `socketsReady` sums the client sockets that
/// came back ready over all turns.
public struct MQTTNetworkLoopStatistics: Sendable, Equatable {
    /// Waits for readiness (one per turn of the loop).
    public var turns: UInt64
    /// Client sockets that came back ready, summed over turns.
    public var socketsReady: UInt64

    public init(turns: UInt64 = 0, socketsReady: UInt64 = 0) {
        self.turns = turns
        self.socketsReady = socketsReady
    }
}

/// The loop thread counts; any thread reads.
final class LoopCounters: Sendable {
    private let turns = Atomic<UInt64>(0)
    private let ready = Atomic<UInt64>(0)

    func turn(ready: Int) {
        turns.add(1, ordering: .relaxed)
        self.ready.add(UInt64(max(0, ready)), ordering: .relaxed)
    }

    var snapshot: MQTTNetworkLoopStatistics {
        MQTTNetworkLoopStatistics(
            turns: turns.load(ordering: .relaxed), socketsReady: ready.load(ordering: .relaxed))
    }
}
