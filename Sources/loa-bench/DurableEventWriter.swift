import Foundation
import LoaProtocol
import LoaStore
import Synchronization

/// The controller's durable side: a task that stores the collected events in the
/// log in batches (one transaction, one head signature, one fsync each), as the
/// ingest benchmark measures.
final class DurableEventWriter: Sendable {
    private let store: SQLiteStore
    private let tally: FanoutTally
    private let queue = Mutex<(events: [(DeviceEvent, Date)], stopped: Bool)>(([], false))
    private let wakeUps: AsyncStream<Void>.Continuation
    /// Events per transaction at most.
    static let batchLimit = 1000

    init(store: SQLiteStore, tally: FanoutTally) {
        self.store = store
        self.tally = tally
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeUps = continuation
        Task { [self] in await self.run(stream) }
    }

    func add(_ event: DeviceEvent, receivedAt: Date) {
        queue.withLock { $0.events.append((event, receivedAt)) }
        wakeUps.yield()
    }

    func stop() {
        queue.withLock { $0.stopped = true }
        wakeUps.finish()
    }

    private func run(_ wakes: AsyncStream<Void>) async {
        for await _ in wakes {
            while true {
                let (batch, stopped) = queue.withLock { queue in
                    let batch = Array(queue.events.prefix(Self.batchLimit))
                    queue.events.removeFirst(batch.count)
                    return (batch, queue.stopped)
                }
                if stopped { return }
                if batch.isEmpty { break }
                do {
                    let new = try await store.record(batch).filter { $0 }.count
                    tally.stored(new, at: MonotonicTime.now())
                } catch {
                    print("storing events failed: \(error)")
                }
            }
        }
    }
}
