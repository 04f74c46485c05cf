#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What came of playing a live stream through ALSA.
public struct StreamPlaybackReport: Sendable, Equatable {
    /// When the first frame was heard (ALSA's trigger timestamp, or the system clock).
    public var measuredStart: Date
    /// Frames of the stream that sounded.
    public var framesPlayed: Int
    public var sampleRate: Int
    /// Underruns met (the stream came too slowly) and recovered from by buffering again.
    public var xrunsRecovered: Int
    public var end: StreamPlaybackEnd

    /// How long the stream sounded, in milliseconds.
    public var playedMs: Int { framesPlayed * 1000 / max(sampleRate, 1) }
}

/// Why a stream stopped playing.
public enum StreamPlaybackEnd: Sendable, Equatable {
    /// Its window ended.
    case windowEnded
    /// A stop (preemption, withdrawal, shutdown) or cancellation.
    case stopped
    /// The stream broke off, stalled or turned out damaged; the reason says which.
    case sourceLost(String)
}
