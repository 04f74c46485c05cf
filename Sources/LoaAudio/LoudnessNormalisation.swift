import Foundation

/// Brings every item to the same loudness before it reaches the speaker, so an
/// uploaded recording, a phone interview and a text read by text-to-speech sound
/// equally loud at the same device volume (which applies on top).
///
/// Target: −16 LUFS integrated (ITU-R BS.1770-4) with a sample-peak ceiling of
/// −1 dBFS. Speech over outdoor horn loudspeakers must be loud and even, not wide in
/// dynamics: the broadcast programme level of EBU R128 (−23 LUFS) leaves ~20 dB of
/// headroom that a PA amplifier turns into quiet speech, while −16 LUFS is the level
/// AES TD1004 recommends for speech heard in noise (mobile, podcasts) and sits a
/// speech crest factor (~12–15 dB) below full scale. The ceiling makes the gain
/// smaller when the loudest sample would pass −1 dBFS, so normalising never clips;
/// quiet material with high peaks then stays somewhat below the target.
public struct LoudnessNormalisation: Sendable, Equatable {
    /// The integrated loudness aimed at, in LUFS.
    public var targetLUFS: Double
    /// No sample is raised above this level, in dBFS.
    public var peakCeilingDBFS: Double

    /// Loa's target for all audio on the loudspeakers: −16 LUFS, peaks at most −1 dBFS.
    public static let loudspeakers = LoudnessNormalisation(targetLUFS: -16, peakCeilingDBFS: -1)

    public init(targetLUFS: Double, peakCeilingDBFS: Double) {
        self.targetLUFS = targetLUFS
        self.peakCeilingDBFS = peakCeilingDBFS
    }

    /// The gain in dB that brings `audio` to the target without passing the ceiling,
    /// or nil when it is silent (nothing to measure, left as it is).
    public func gain(for audio: PCMAudio) -> Double? {
        guard let loudness = Loudness.integrated(audio), let peak = Loudness.samplePeak(audio) else { return nil }
        return min(targetLUFS - loudness, peakCeilingDBFS - peak)
    }

    /// `audio` with ``gain(for:)`` applied (rounded to the nearest sample value);
    /// silent audio is returned unchanged.
    public func apply(to audio: PCMAudio) -> PCMAudio {
        guard let gain = gain(for: audio), abs(gain) >= 0.05 else { return audio }
        let factor = pow(10, gain / 20)
        var result = audio
        result.samples = audio.samples.map { sample in
            Int16(max(-32768, min(32767, (Double(sample) * factor).rounded())))
        }
        return result
    }
}
