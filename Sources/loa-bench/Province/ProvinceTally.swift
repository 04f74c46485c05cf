import Synchronization

/// What `province`'s receivers reported in the current phase, by receiver, in
/// `MonotonicTime` nanoseconds (one clock across the worker processes), and the raw
/// events the benchmark's collectors counted.
final class ProvinceTally: FleetTally {
    private struct State {
        var verifiedAt: [UInt64?]
        var fetchedAt: [UInt64?]
        var rawEvents = 0
        var refused = 0
    }

    private let state: Mutex<State>

    init(receivers: Int) {
        state = Mutex(State(verifiedAt: Array(repeating: nil, count: receivers), fetchedAt: Array(repeating: nil, count: receivers)))
    }

    /// Clears the receivers' times for a new phase.
    func begin() {
        state.withLock { state in
            state.verifiedAt = Array(repeating: nil, count: state.verifiedAt.count)
            state.fetchedAt = Array(repeating: nil, count: state.fetchedAt.count)
            state.rawEvents = 0
        }
    }

    /// `province`'s receivers report what they verified and fetched, not each arrival.
    func received(index: Int, at instant: UInt64) {}

    func verified(index: Int, at instant: UInt64) {
        state.withLock { state in
            guard index < state.verifiedAt.count, state.verifiedAt[index] == nil else { return }
            state.verifiedAt[index] = instant
        }
    }

    func fetched(index: Int, at instant: UInt64) {
        state.withLock { state in
            guard index < state.fetchedAt.count, state.fetchedAt[index] == nil else { return }
            state.fetchedAt[index] = instant
        }
    }

    func refusedOne() { state.withLock { $0.refused += 1 } }

    func rawEventArrived() { state.withLock { $0.rawEvents += 1 } }

    var refused: Int { state.withLock { $0.refused } }
    var fetchedCount: Int { state.withLock { $0.fetchedAt.lazy.filter { $0 != nil }.count } }
    var rawEvents: Int { state.withLock { $0.rawEvents } }

    /// Milliseconds from `start` to each receiver's document (verified) and audio (fetched), of those that got there.
    func times(since start: UInt64) -> (verified: [Double], fetched: [Double]) {
        state.withLock { state in
            (state.verifiedAt.compactMap { $0.map { MonotonicTime.milliseconds(from: start, to: $0) } },
             state.fetchedAt.compactMap { $0.map { MonotonicTime.milliseconds(from: start, to: $0) } })
        }
    }
}
