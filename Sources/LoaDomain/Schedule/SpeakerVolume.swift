/// What a speaker volume step means (1–10, as schedule files write `volume` and
/// `default-volume`): how far below Loa's loudness target an item plays.
///
/// 10 plays at the target (−16 LUFS, `LoudnessNormalisation.loudspeakers`); each step
/// below takes 2 dB off, so 7 (the usual default) plays at −22 LUFS and 1 at −34 LUFS.
/// The amplifier's own knob sets how loud the target is in the street. An emergency
/// always plays at 10, whatever its programme says.
public enum SpeakerVolume {
    /// The steps a schedule may give.
    public static let steps = 1...10
    /// The level one step changes, in dB.
    public static let decibelsPerStep = 2.0

    /// The gain in dB for `volume` (0 at 10, −18 at 1); a step outside 1–10 is taken as the nearest one.
    public static func gainDecibels(_ volume: Int) -> Double {
        Double(min(max(volume, steps.lowerBound), steps.upperBound) - steps.upperBound) * decibelsPerStep
    }
}
