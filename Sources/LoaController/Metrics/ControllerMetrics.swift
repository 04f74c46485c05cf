import Synchronization

/// What the controller counts while it runs, for `/metrics`; what the store holds
/// (devices, events, the log, schedules) is read from it at each scrape instead.
public final class ControllerMetrics: Sendable {
    private let failures = Mutex<[String: Int]>([:])
    private let ingestQueue = Atomic<Int>(0)
    private let heldBack = Atomic<Int>(0)

    public init() {}

    /// Counts a failed publish to the broker on a kind of topic (`schedule`, `receipt`, `checkpoint`, `keys`).
    func publishFailed(_ topicKind: String) {
        failures.withLock { $0[topicKind, default: 0] += 1 }
    }

    /// Events received from the broker and not stored yet (the ingestion queue's depth).
    public var ingestQueueDepth: Int { ingestQueue.load(ordering: .relaxed) }

    func setIngestQueueDepth(_ depth: Int) { ingestQueue.store(depth, ordering: .relaxed) }

    /// Airings and notices left out of a hamlet's document because it would have been
    /// larger than a receiver accepts, since the controller started.
    public var heldBackForSize: Int { heldBack.load(ordering: .relaxed) }

    func heldBackForSize(_ count: Int) { heldBack.add(count, ordering: .relaxed) }

    /// Failed publishes by kind of topic since the controller started.
    public var publishFailures: [String: Int] { failures.withLock { $0 } }

    /// The kinds of topic the controller publishes to, each reported even at zero.
    static let topicKinds = ["checkpoint", "keys", "receipt", "schedule"]
}
