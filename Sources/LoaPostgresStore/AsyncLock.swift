import Synchronization

/// Lets `permits` tasks at a time through, in arrival order, across suspension points
/// (what a `Mutex` must not be held across): with one permit, the log's appends in this
/// process; with more, the take-up sections that hold a pooled connection while they
/// use another (at most half the pool, so the rest never runs dry).
final class AsyncLock: Sendable {
    private let state: Mutex<(free: Int, waiting: [CheckedContinuation<Void, Never>])>

    init(permits: Int = 1) {
        state = Mutex((max(1, permits), []))
    }

    /// Runs `body` with a permit.
    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    /// Runs `body` holding a permit of each of `locks`, taken in the order given: every
    /// caller takes them in one agreed order (the communes' sites), so two never wait on
    /// each other.
    static func withLocks<T: Sendable>(_ locks: [AsyncLock], _ body: () async throws -> T) async throws -> T {
        for lock in locks { await lock.lock() }
        defer { for lock in locks.reversed() { lock.unlock() } }
        return try await body()
    }

    private func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enterNow = state.withLock { state in
                if state.free == 0 { state.waiting.append(continuation); return false }
                state.free -= 1
                return true
            }
            if enterNow { continuation.resume() }
        }
    }

    private func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else { state.free += 1; return nil }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
