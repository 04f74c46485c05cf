/// Where a ``PlaybackReport/measuredStart`` came from.
public enum StartSource: String, Sendable {
    /// ALSA's trigger timestamp (CLOCK_REALTIME) of `snd_pcm_start`, plus the prefilled silence.
    case alsaTriggerTimestamp
    /// The system clock read right after `snd_pcm_start`, plus the prefilled silence;
    /// used when the PCM gives no trigger timestamp.
    case systemClock
}
