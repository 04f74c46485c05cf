#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// How well a recording from a device's microphone matches what its speaker played: the
/// peak of the normalised cross-correlation (a matched filter) over the lags the sound
/// could have arrived at, and how far that peak stands above the correlation elsewhere.
///
/// Both are worked out at ``analysisRate`` on mono, so that a few seconds of programme
/// against a few seconds of recording take milliseconds on a small board.
public struct SoundMatch: Sendable, Equatable, Codable {
    /// The peak normalised correlation, 0–1: 1 for the very sound, about 0 for none.
    public var score: Double
    /// When, after the recording began, the played sound begins in it, in seconds.
    public var lagSeconds: Double
    /// The peak against the root-mean-square correlation at the other lags, in decibels:
    /// how clearly the sound stands out of the room's noise.
    public var snrDb: Double

    public init(score: Double, lagSeconds: Double, snrDb: Double) {
        self.score = score
        self.lagSeconds = lagSeconds
        self.snrDb = snrDb
    }

    /// The rate the match is worked out at: speech and the test chirp lie below 4 kHz.
    public static let analysisRate = 8000

    /// The match of `played` within `recorded`; nil when the recording is shorter than
    /// what was played, or either is silent.
    public static func find(_ played: PCMAudio, in recorded: PCMAudio) -> SoundMatch? {
        let reference = analysisSignal(played)
        let signal = analysisSignal(recorded)
        guard reference.count >= analysisRate / 20, signal.count >= reference.count else { return nil }
        let referenceEnergy = reference.reduce(0) { $0 + $1 * $1 }
        guard referenceEnergy > 0 else { return nil }
        let correlation = FourierTransform.crossCorrelation(reference, signal)
        // The recording's energy under the reference at each lag, from running sums.
        var running = [Double](repeating: 0, count: signal.count + 1)
        for (index, sample) in signal.enumerated() { running[index + 1] = running[index] + sample * sample }
        let normalised = correlation.indices.map { lag -> Double in
            let energy = running[lag + reference.count] - running[lag]
            return energy > 1e-12 ? correlation[lag] / (referenceEnergy * energy).squareRoot() : 0
        }
        guard let peak = normalised.indices.max(by: { normalised[$0] < normalised[$1] }) else { return nil }
        // Elsewhere: lags further than a tenth of a second from the peak.
        let guardLags = analysisRate / 10
        let others = normalised.indices.filter { abs($0 - peak) > guardLags }.map { normalised[$0] * normalised[$0] }
        let floor = others.isEmpty ? 0 : (others.reduce(0, +) / Double(others.count)).squareRoot()
        let score = max(0, normalised[peak])
        return SoundMatch(
            score: score, lagSeconds: Double(peak) / Double(analysisRate),
            snrDb: floor > 0 ? 20 * log10(max(score, 1e-9) / floor) : 99)
    }

    /// Mono at ``analysisRate``: channels averaged, a moving-average low-pass as wide as
    /// the rate ratio, then linear interpolation onto the new rate.
    static func analysisSignal(_ audio: PCMAudio) -> [Double] {
        let channels = max(audio.channels, 1)
        let frames = audio.frameCount
        guard frames > 0, audio.sampleRate > 0 else { return [] }
        var mono = [Double](repeating: 0, count: frames)
        audio.samples.withUnsafeBufferPointer { samples in
            for frame in 0..<frames {
                var sum = 0
                for channel in 0..<channels { sum += Int(samples[frame * channels + channel]) }
                mono[frame] = Double(sum) / Double(channels * 32768)
            }
        }
        let ratio = Double(audio.sampleRate) / Double(analysisRate)
        if ratio > 1 {
            let width = Int(ratio.rounded(.up))
            var smoothed = [Double](repeating: 0, count: frames)
            var window = 0.0
            for index in 0..<frames {
                window += mono[index]
                if index >= width { window -= mono[index - width] }
                smoothed[index] = window / Double(min(index + 1, width))
            }
            mono = smoothed
        }
        let count = Int(Double(frames) / ratio)
        return (0..<count).map { index in
            let position = Double(index) * ratio
            let before = Int(position)
            let after = min(before + 1, frames - 1)
            let fraction = position - Double(before)
            return mono[before] * (1 - fraction) + mono[after] * fraction
        }
    }
}
