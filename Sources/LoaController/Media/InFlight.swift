import Synchronization

/// Work that many callers may ask for at once under one key (the same audio's levelling
/// gain, the same file from the database): the first starts it, the others wait for
/// its result, so it is done once however many ask together.
final class InFlight<Value: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Value, Never>]>([:])

    /// The result of `work` for `key`: of the one already running, or of `work` started now.
    func value(for key: String, _ work: @escaping @Sendable () async -> Value) async -> Value {
        let task = running.withLock { running in
            if let task = running[key] { return task }
            let task = Task { await work() }
            running[key] = task
            return task
        }
        let value = await task.value
        running.withLock { running in
            if running[key] == task { running[key] = nil }
        }
        return value
    }
}
