#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a playback tells while it runs, from its thread: that the first frame has
/// left (with the measured instant), then how much has played, about once a second.
public enum PlaybackProgress: Sendable, Equatable {
    /// The first real frame left the sound card at this instant (as `PlaybackReport.measuredStart`).
    case started(measuredStart: Date)
    /// This many frames have been played so far.
    case playing(framesPlayed: Int)
}
