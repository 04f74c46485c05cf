import Synchronization

/// Lets another task stop a playback in progress (preemption by an emergency).
///
/// Hand the same instance to ``ALSAPlayer/play(_:at:stop:)`` and to whoever may
/// need to interrupt it; once stopped it stays stopped.
public final class PlaybackStop: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// A stop that has not been triggered yet.
    public init() {}

    /// Asks the playback to stop; it drops what is queued within about one ALSA period (~50 ms).
    public func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Whether ``stop()`` has been called.
    public var isStopped: Bool {
        stopped.load(ordering: .acquiring)
    }
}
