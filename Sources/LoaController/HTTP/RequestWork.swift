import Foundation
import Hummingbird
import Synchronization

/// Runs the heavy, synchronous part of a request — a plan with its legal checks, a
/// report over the whole log — on threads of its own, a few at a time, so that Swift's
/// cooperative pool, which serves `/healthz`, media for the receivers and the MQTT
/// messages, never waits behind it; and admits heavy reads (a log listing), which the
/// store runs on its own queue, under the same limit. Requests beyond what may wait are
/// answered 503 with `Retry-After` at once.
public final class RequestWork: Sendable {
    /// How many run at once (one per core unless given).
    public let concurrent: Int
    /// How many may run or wait; more are refused.
    public let admitted: Int
    private let queue = DispatchQueue(label: "loa.request-work", qos: .userInitiated, attributes: .concurrent)
    /// Lets `concurrent` of the admitted run; the others wait on their own (GCD) threads.
    private let running: DispatchSemaphore
    private let inside = Atomic<Int>(0)

    public init(concurrent: Int? = nil, admitted: Int = 32) {
        let concurrent = concurrent ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.concurrent = concurrent
        self.admitted = admitted
        running = DispatchSemaphore(value: concurrent)
    }

    /// Runs `body` on a worker thread and returns its result.
    /// - Throws: `HTTPError` 503 when `admitted` requests already run or wait; what `body` throws.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await admit {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { [running] in
                    running.wait()
                    defer { running.signal() }
                    continuation.resume(with: Result { try body() })
                }
            }
        }
    }

    /// Runs `body` (reads the store runs on its own queue) when fewer than `admitted`
    /// requests run or wait.
    /// - Throws: `HTTPError` 503 when `admitted` requests already run or wait; what `body` throws.
    public func admit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard inside.wrappingAdd(1, ordering: .relaxed).newValue <= admitted else {
            inside.wrappingSubtract(1, ordering: .relaxed)
            throw HTTPError(
                .serviceUnavailable, headers: [.retryAfter: "5"],
                message: "Máy chủ đang bận, hãy thử lại sau ít giây (the controller is busy; try again in a few seconds)")
        }
        defer { inside.wrappingSubtract(1, ordering: .relaxed) }
        return try await body()
    }
}
