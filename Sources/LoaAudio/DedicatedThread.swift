import LoaThreads

/// Runs blocking work on a thread of its own, so that blocking ALSA calls never occupy
/// a thread of Swift's cooperative pool (which has one thread per core: two such calls
/// on a 2-core device stall every task of the process).
public enum DedicatedThread {
    /// Starts a new thread named `name`, runs `body` on it and returns its result.
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            OwnThread.start(name: name, stackSize: 1 << 20) {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
