import ServiceLifecycleTestKit
import Synchronization

/// Work a test runs in a task of its own (a controller, an HTTP server) and stops the
/// way SIGTERM stops the real process: a graceful shutdown first, a cancellation only
/// if it has not stopped within the grace given.
///
/// Cancelling a Hummingbird server outright can crash the whole test process when a
/// connection arrives at that moment: SwiftNIO then drops an accepted connection that
/// was never served, and traps ("Deinited NIOAsyncWriter without calling finish()",
/// apple/swift-nio#3481). A graceful shutdown serves or closes every connection first.
public final class GracefullyStoppedTask<Success: Sendable>: Sendable {
    private let task: Task<Success, any Error>
    private let trigger: ShutdownTrigger

    /// The trigger of the task's graceful shutdown, once the task has started.
    private final class ShutdownTrigger: Sendable {
        let value = Mutex<GracefulShutdownTestTrigger?>(nil)
    }

    /// Starts `operation` in a task whose graceful shutdown ``stop(grace:)`` triggers.
    public init(_ operation: @escaping @Sendable () async throws -> Success) {
        let trigger = ShutdownTrigger()
        self.trigger = trigger
        task = Task {
            try await testGracefulShutdown { shutdown in
                trigger.value.withLock { $0 = shutdown }
                return try await operation()
            }
        }
    }

    /// What the work returned or threw.
    public var value: Success {
        get async throws { try await task.value }
    }

    /// Shuts the work down gracefully and waits for it; cancels it if it has not stopped
    /// within `grace` (or when it had not started yet).
    public func stop(grace: Duration = .seconds(10)) async {
        let shutdown = trigger.value.withLock { $0 }
        guard let shutdown else {
            task.cancel()
            _ = try? await task.value
            return
        }
        shutdown.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: grace)
            task.cancel()
        }
        _ = try? await task.value
        deadline.cancel()
    }
}
