public import Foundation
import Synchronization

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// URLSession requests that a cancelled Swift task can stop without hanging.
///
/// `URLSession.data(for:)` in swift-corelibs-foundation cancels its URLSession task from
/// the Swift task's cancellation handler, which runs under the task's status lock and
/// waits on the session's queue, while that queue may wait for the same lock: a receiver
/// stopped in the middle of a clock exchange once hung the whole test suite. Here the
/// cancel is handed to another queue, and a cancellation before the start is kept.
public enum CancellableRequest {
    /// The body and status of `request` on `session`.
    public static func data(for request: URLRequest, session: URLSession = .shared) async throws -> (body: Data, status: Int) {
        let cancellation = URLTaskCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: request) { body, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else {
                        continuation.resume(returning: (body ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                    }
                }
                cancellation.started(task)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}

/// Cancels a URLSession task when the Swift task awaiting it is cancelled, from another
/// queue (see `CancellableRequest`).
final class URLTaskCancellation: Sendable {
    private let state = Mutex<(task: URLSessionTask?, cancelled: Bool)>((nil, false))

    init() {}

    /// Resumes `task`, or cancels it at once when the awaiting task was already cancelled.
    func started(_ task: URLSessionTask) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        task.resume()
        if cancelled { Self.cancelLater(task) }
    }

    /// Called from a cancellation handler: never blocks.
    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        if let task { Self.cancelLater(task) }
    }

    private static func cancelLater(_ task: URLSessionTask) {
        DispatchQueue.global().async { task.cancel() }
    }
}
