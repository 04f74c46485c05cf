import Synchronization

/// What the controller counts while it runs, for `/metrics`; what the store holds
/// (devices, events, the log, schedules) is read from it at each scrape instead.
public final class ControllerMetrics: Sendable {
    private let failures = Mutex<[String: Int]>([:])

    public init() {}

    /// Counts a failed publish to the broker on a kind of topic (`schedule`, `receipt`, `checkpoint`).
    func publishFailed(_ topicKind: String) {
        failures.withLock { $0[topicKind, default: 0] += 1 }
    }

    /// Failed publishes by kind of topic since the controller started.
    public var publishFailures: [String: Int] { failures.withLock { $0 } }

    /// The kinds of topic the controller publishes to, each reported even at zero.
    static let topicKinds = ["checkpoint", "receipt", "schedule"]
}
