#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Brings every item to the same loudness before it reaches the speaker, so an
/// uploaded recording, a phone interview and a text read by text-to-speech sound
/// equally loud at the same device volume (which applies on top).
///
/// Target: −16 LUFS integrated (ITU-R BS.1770-4), no sample above −1 dBFS. Speech
/// over outdoor horn loudspeakers must be loud and even, not wide in dynamics: the
/// broadcast programme level of EBU R128 (−23 LUFS) leaves ~20 dB of headroom that a
/// PA amplifier turns into quiet speech, while −16 LUFS is the level AES TD1004
/// recommends for speech heard in noise (mobile, podcasts).
///
/// One gain is applied to the whole item. Where that gain would lift a sample above
/// the ceiling, a look-ahead ``PeakLimiter`` turns the gain down around that peak only
/// (eSpeak NG, for one, writes peaks at full scale over speech at −20 LUFS); the gain
/// is then corrected for the little loudness the limiter took. So nothing clips. A gain
/// above +24 dB is not applied (a nearly silent recording keeps its noise floor down).
public struct LoudnessNormalisation: Sendable, Equatable {
    /// The integrated loudness aimed at, in LUFS.
    public var targetLUFS: Double
    /// No sample is raised above this level, in dBFS.
    public var peakCeilingDBFS: Double
    /// The largest gain applied, in dB.
    public var maximumGainDB: Double

    /// Loa's target for all audio on the loudspeakers: −16 LUFS, peaks at most −1 dBFS, at most +24 dB.
    public static let loudspeakers = LoudnessNormalisation(targetLUFS: -16, peakCeilingDBFS: -1, maximumGainDB: 24)

    public init(targetLUFS: Double, peakCeilingDBFS: Double, maximumGainDB: Double = 24) {
        self.targetLUFS = targetLUFS
        self.peakCeilingDBFS = peakCeilingDBFS
        self.maximumGainDB = maximumGainDB
    }

    /// The gain in dB that brings `audio` to the target (at most ``maximumGainDB``),
    /// before any limiting; nil when it is silent (nothing to measure, left as it is).
    public func gain(for audio: PCMAudio) -> Double? {
        Loudness.integrated(audio).map { min(targetLUFS - $0, maximumGainDB) }
    }

    /// ``apply(to:)`` on a thread of its own: measuring and limiting a long item is a
    /// few passes over every sample, which must not hold a thread of Swift's cooperative
    /// pool (a receiver's MQTT, events and other items run there).
    public func applyOnOwnThread(to audio: PCMAudio) async -> PCMAudio {
        let normalisation = self
        return (try? await DedicatedThread.run(name: "loa-loudness") { normalisation.apply(to: audio) }) ?? audio
    }

    /// The look-ahead limiter that keeps peaks under the ceiling.
    var limiter: PeakLimiter { PeakLimiter(ceiling: pow(10, peakCeilingDBFS / 20)) }

    /// The gain in dB that ``apply(to:)`` applies to `audio`: the loudness gain (at most
    /// ``maximumGainDB``), corrected for the loudness the limiter takes where it must turn
    /// peaks down; 0 for silence, or when the audio is already within 0.05 dB of the target
    /// and its peaks are under the ceiling. Measured once, where the audio is stored (the
    /// controller), and carried to receivers, which level as they play (``LevelledSource``).
    public func levellingGain(for audio: PCMAudio) -> Double {
        guard var gain = gain(for: audio), let peak = Loudness.samplePeak(audio) else { return 0 }
        if peak + gain <= peakCeilingDBFS { return abs(gain) >= 0.05 ? gain : 0 }
        // Limiting takes some loudness away, and more the higher the gain: find the gain that
        // reaches the target by the secant method, from (no gain, the input's loudness).
        var previous = (gain: 0.0, reached: targetLUFS - gain)
        for _ in 0..<4 {
            let limited = PCMAudio(sampleRate: audio.sampleRate, channels: audio.channels, samples: limiter.apply(audio, gain: pow(10, gain / 20)))
            guard let reached = Loudness.integrated(limited), abs(targetLUFS - reached) > 0.1, gain < maximumGainDB else { break }
            let slope = (reached - previous.reached) / (gain - previous.gain)
            let next = min(gain + (targetLUFS - reached) / max(slope, 0.1), maximumGainDB)
            previous = (gain, reached)
            gain = next
        }
        return gain
    }

    /// ``levellingGain(for:)`` on a thread of its own (a few passes over every sample).
    public func levellingGainOnOwnThread(for audio: PCMAudio) async -> Double {
        let normalisation = self
        return (try? await DedicatedThread.run(name: "loa-loudness") { normalisation.levellingGain(for: audio) }) ?? 0
    }

    /// `audio` brought to the target: ``levellingGain(for:)`` applied through the limiter
    /// (which leaves samples under the ceiling alone but for the gain); silent audio is
    /// returned unchanged.
    public func apply(to audio: PCMAudio) -> PCMAudio {
        apply(gainDecibels: levellingGain(for: audio), to: audio)
    }

    /// `audio` with a gain measured beforehand applied through the limiter, as a receiver
    /// applies it while playing (``LevelledSource``).
    public func apply(gainDecibels: Double, to audio: PCMAudio) -> PCMAudio {
        var result = audio
        result.samples = limiter.apply(audio, gain: pow(10, gainDecibels / 20))
        return result
    }
}
