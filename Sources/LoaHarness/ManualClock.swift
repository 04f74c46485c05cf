public import Foundation
public import LoaReceiver
import Synchronization

/// A clock that moves only when the test moves it; what sleeps on it wakes when the
/// time it waits for is reached. An hour of a receiver's airings runs in milliseconds.
///
/// ``run(until:step:)`` moves the time forward in small steps, letting the woken tasks
/// react between steps (a few milliseconds of real time), so that each wakes at its
/// instant as it would on a device.
public final class ManualClock: InstantClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var lastID = 0
        /// How many tasks the last move woke, less the `sleep` calls made since.
        var wokenNotBack = 0
    }

    private let state: Mutex<State>

    /// A clock showing `start`.
    public init(_ start: Date) { state = Mutex(State(now: start)) }

    /// The time it shows.
    public var now: Date { state.withLock { $0.now } }

    /// The earliest instant a task sleeps until, if any sleeps.
    public var nextDeadline: Date? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// How many tasks sleep on it.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until instant: Date) async throws {
        let id = state.withLock { state in
            state.lastID += 1
            state.wokenNotBack = max(0, state.wokenNotBack - 1)
            return state.lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case asleep, due, cancelled }
                let outcome: Outcome = state.withLock { state in
                    // Checked under the lock: a cancellation seen after it finds the sleeper here.
                    if Task.isCancelled { return .cancelled }
                    if instant <= state.now { return .due }
                    state.sleepers[id] = Sleeper(deadline: instant, continuation: continuation)
                    return .asleep
                }
                switch outcome {
                case .asleep: break
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Sets the time to `instant` (never backwards) and wakes, earliest first, every task
    /// that sleeps until then.
    public func advance(to instant: Date) {
        let due = state.withLock { state in
            state.now = max(state.now, instant)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            state.wokenNotBack = due.count
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the time `seconds` ahead at once.
    public func advance(by seconds: TimeInterval) { advance(to: now.addingTimeInterval(seconds)) }

    /// Moves the time to `end`, to each sleeper's instant in turn and at most `step`
    /// seconds at a time, and lets the woken tasks run after each move.
    public func run(until end: Date, step: TimeInterval = 0.1) async {
        await settle()
        while now < end {
            let next = min(end, now.addingTimeInterval(step), nextDeadline ?? end)
            advance(to: max(next, now))
            await settle()
        }
    }

    /// Moves the time `seconds` ahead as ``run(until:step:)`` does.
    public func run(for seconds: TimeInterval, step: TimeInterval = 0.1) async {
        await run(until: now.addingTimeInterval(seconds), step: step)
    }

    /// Lets woken tasks run until the set of sleepers stops changing for a moment of real
    /// time (at least 4 polls 2 ms apart) and `sleep` has been called as many times as the
    /// last move woke tasks (each woken speaker or scheduler sleeps again once it has done
    /// its step; a task that ends instead costs the wait's limit); at most ~200 ms. On a loaded machine a woken task can wait tens of
    /// milliseconds for a thread: quiet polls alone once let the clock run on before a
    /// speaker had started, which no device does (its playback began 0.45 s late in clock
    /// time), and before that 2 quiet polls 1 ms apart did.
    public func settle() async {
        var last = snapshot()
        var quiet = 0
        for _ in 0..<100 {
            try? await Task.sleep(for: .milliseconds(2))
            let current = snapshot()
            quiet = current == last ? quiet + 1 : 0
            last = current
            if quiet >= 4 && state.withLock({ $0.wokenNotBack }) == 0 { return }
        }
    }

    private func snapshot() -> [Int] { state.withLock { $0.sleepers.keys.sorted() } }
}
