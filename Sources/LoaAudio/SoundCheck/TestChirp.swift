#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// The speaker self-test's sound: a short rising sweep, easy to find by correlation in a
/// noisy room and unlike speech or music, with soft edges so that it does not click.
public enum TestChirp {
    /// A linear sweep from `low` to `high` Hz over `seconds`, mono 16-bit at `sampleRate`,
    /// at `level` of full scale, faded in and out over 20 ms.
    public static func make(
        sampleRate: Int = 22_050, seconds: Double = 0.6, low: Double = 700, high: Double = 3500, level: Double = 0.5
    ) -> PCMAudio {
        let frames = Int(seconds * Double(sampleRate))
        let fade = Double(sampleRate) * 0.02
        let rate = Double(sampleRate)
        let sweep = (high - low) / seconds
        let samples = (0..<frames).map { frame -> Int16 in
            let t = Double(frame) / rate
            let phase = 2 * Double.pi * (low * t + sweep * t * t / 2)
            let edge = min(1, Double(frame) / fade, Double(frames - 1 - frame) / fade)
            return Int16((sin(phase) * level * edge * 32767).rounded())
        }
        return PCMAudio(sampleRate: sampleRate, channels: 1, samples: samples)
    }
}
