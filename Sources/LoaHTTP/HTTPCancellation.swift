import Synchronization

/// A flag another thread sets to stop an exchange: every wait of the connection looks
/// at it at least every ``HTTPCancellation/checkInterval`` and gives up.
public final class HTTPCancellation: Sendable {
    /// The longest a blocked connection goes without looking at the flag.
    static let checkInterval: Duration = .milliseconds(100)
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the exchange to stop; never blocks.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
