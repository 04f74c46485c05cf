#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What happened when audio was played.
public struct PlaybackReport: Sendable, Equatable {
    /// The instant asked for, or nil for "as soon as possible".
    public var requestedStart: Date?
    /// When the first real frame (after any prefilled silence) was heard, as ALSA saw it:
    /// its trigger timestamp, plus the silence, plus the output's latency beyond the buffer.
    public var measuredStart: Date
    /// Whether `measuredStart` comes from ALSA's trigger timestamp or the system clock.
    public var startSource: StartSource
    /// Frames of the audio handed to the device and not dropped (all of them unless stopped early).
    public var framesPlayed: Int
    /// Underruns met and recovered from during the playback.
    public var xrunsRecovered: Int
    /// True when a ``PlaybackStop`` (or task cancellation) ended the playback before its end.
    public var stoppedEarly: Bool
    /// The output's latency beyond the buffer read at the start, in seconds (a sound
    /// server's queue; 0 for a plain card or a file), which `measuredStart` counts.
    public var outputLatency: TimeInterval = 0

    /// Makes a report from its parts.
    public init(
        requestedStart: Date?, measuredStart: Date, startSource: StartSource,
        framesPlayed: Int, xrunsRecovered: Int, stoppedEarly: Bool
    ) {
        self.requestedStart = requestedStart
        self.measuredStart = measuredStart
        self.startSource = startSource
        self.framesPlayed = framesPlayed
        self.xrunsRecovered = xrunsRecovered
        self.stoppedEarly = stoppedEarly
    }

    /// `measuredStart − requestedStart` (positive when late), or nil when no instant was asked for.
    public var startOffset: Duration? {
        guard let requestedStart else { return nil }
        let seconds = measuredStart.timeIntervalSince(requestedStart)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
