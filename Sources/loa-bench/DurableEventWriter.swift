import Foundation
import LoaProtocol
import LoaStore
import Synchronization

/// The controller's durable side: a thread that stores the collected events in
/// the log in batches (one transaction, one head signature, one fsync each), as
/// the ingest benchmark measures.
final class DurableEventWriter: Sendable {
    private let store: ControllerStore
    private let tally: FanoutTally
    private let queue = Mutex<(events: [(DeviceEvent, Date)], stopped: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)
    /// Events per transaction at most.
    static let batchLimit = 1000

    init(store: ControllerStore, tally: FanoutTally) throws {
        self.store = store
        self.tally = tally
        let thread = Thread { [self] in self.run() }
        thread.name = "loa-fanout-store"
        thread.start()
    }

    func add(_ event: DeviceEvent, receivedAt: Date) {
        queue.withLock { $0.events.append((event, receivedAt)) }
        wake.signal()
    }

    func stop() {
        queue.withLock { $0.stopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            _ = wake.wait(timeout: .now() + .milliseconds(100))
            while true {
                let (batch, stopped) = queue.withLock { queue in
                    let batch = Array(queue.events.prefix(Self.batchLimit))
                    queue.events.removeFirst(batch.count)
                    return (batch, queue.stopped)
                }
                if stopped { return }
                if batch.isEmpty { break }
                do {
                    let new = try store.record(batch).filter { $0 }.count
                    tally.stored(new, at: MonotonicTime.now())
                } catch {
                    print("storing events failed: \(error)")
                }
            }
        }
    }
}
