#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Integrated loudness per ITU-R BS.1770-4 (the measure behind EBU R128), over decoded PCM.
///
/// The signal is K-weighted (a high-shelf "head" filter and an RLB high-pass, as two
/// biquads whose coefficients are derived for the sample rate from the standard's
/// analogue prototype, as libebur128 does), cut into 400 ms blocks overlapping by 75 %
/// (a block every 100 ms), and each block's loudness is −0.691 + 10·log10 Σ Gᵢ·zᵢ over
/// the channels' mean squares zᵢ. Blocks at or below −70 LUFS (absolute gate) are
/// dropped, then those more than 10 LU below the loudness of the rest (relative gate);
/// the result is the loudness of the mean of the blocks left.
///
/// Channel weights Gᵢ: 1 for the first three channels (left, right, centre), 1.41 for
/// the surround channels of a 5.0/5.1 layout (channels 4 and 5), 0 for LFE (channel 3
/// of six). A mono signal counts once: a full-scale 1 kHz sine measures −3.01 LUFS.
public enum Loudness {
    /// The integrated loudness of `audio` in LUFS, or nil when every block is gated
    /// (silence, or quieter than −70 LUFS). Audio shorter than one block is measured
    /// as one block of its own length.
    public static func integrated(_ audio: PCMAudio) -> Double? {
        guard audio.sampleRate > 0, audio.channels > 0, audio.frameCount > 0 else { return nil }
        let blocks = blockPowers(audio)
        let absolute = blocks.filter { loudness(ofPower: $0) > absoluteGate }
        guard !absolute.isEmpty else { return nil }
        let relativeGate = loudness(ofPower: mean(absolute)) - relativeGateOffset
        let gated = absolute.filter { loudness(ofPower: $0) > relativeGate }
        guard !gated.isEmpty else { return nil }
        return loudness(ofPower: mean(gated))
    }

    /// The highest sample's magnitude in dBFS (0 for full scale), or nil for digital silence.
    public static func samplePeak(_ audio: PCMAudio) -> Double? {
        let peak = audio.samples.reduce(0) { max($0, abs(Int($1))) }
        return peak == 0 ? nil : 20 * log10(Double(peak) / 32768)
    }

    /// Blocks at or below this loudness are silence (BS.1770-4 absolute gate).
    public static let absoluteGate = -70.0
    /// Blocks this far below the ungated loudness are dropped (BS.1770-4 relative gate).
    public static let relativeGateOffset = 10.0

    static func loudness(ofPower power: Double) -> Double {
        power > 0 ? -0.691 + 10 * log10(power) : -.infinity
    }

    private static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    /// Σ Gᵢ·zᵢ of every 400 ms block, blocks starting every 100 ms.
    static func blockPowers(_ audio: PCMAudio) -> [Double] {
        let frames = audio.frameCount, channels = audio.channels
        let step = max(1, audio.sampleRate / 10)
        let blockLength = min(4 * step, frames)
        // Squares of the K-weighted signal summed over the channels with their weights,
        // per 100 ms step; a block is four consecutive steps.
        let steps = (frames + step - 1) / step
        var stepPower = [Double](repeating: 0, count: steps)
        audio.samples.withUnsafeBufferPointer { samples in
            stepPower.withUnsafeMutableBufferPointer { stepPower in
                for channel in 0..<channels {
                    let weight = Self.weight(channel: channel, of: channels)
                    guard weight > 0 else { continue }
                    var filter = KWeighting(sampleRate: Double(audio.sampleRate))
                    for frame in 0..<frames {
                        let y = filter.process(Double(samples[frame * channels + channel]) / 32768)
                        stepPower[frame / step] += weight * y * y
                    }
                }
            }
        }
        if blockLength < 4 * step {
            return [stepPower.reduce(0, +) / Double(blockLength)]
        }
        let blockCount = (frames - blockLength) / step + 1
        return (0..<blockCount).map { block in
            stepPower[block..<block + 4].reduce(0, +) / Double(blockLength)
        }
    }

    /// BS.1770-4 channel weight: 1 for L, R, C; 1.41 for the surrounds of 5.x; 0 for LFE.
    private static func weight(channel: Int, of channels: Int) -> Double {
        guard channels >= 5 else { return 1 }
        switch (channels, channel) {
        case (6, 3): return 0
        case (6, 4), (6, 5), (5, 3), (5, 4): return 1.41
        default: return 1
        }
    }
}

/// The K-weighting filter of BS.1770-4: a high-shelf (≈ +4 dB above 1.5 kHz) then a
/// high-pass (RLB, ≈ 38 Hz), both biquads in direct form I.
struct KWeighting {
    private var shelf: Biquad
    private var highPass: Biquad

    init(sampleRate: Double) {
        // Stage 1: the shelf, from the standard's analogue prototype (libebur128's derivation).
        var f0 = 1681.974450955533, q = 0.7071752369554196
        let gain = 3.999843853973347
        var k = tan(Double.pi * f0 / sampleRate)
        let vh = pow(10, gain / 20), vb = pow(vh, 0.4996667741545416)
        var a0 = 1 + k / q + k * k
        shelf = Biquad(
            b: ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
            a: (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
        // Stage 2: the RLB high-pass.
        f0 = 38.13547087602444
        q = 0.5003270373238773
        k = tan(Double.pi * f0 / sampleRate)
        a0 = 1 + k / q + k * k
        highPass = Biquad(b: (1, -2, 1), a: (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
    }

    mutating func process(_ x: Double) -> Double {
        highPass.process(shelf.process(x))
    }
}

/// y = b0·x + b1·x₁ + b2·x₂ − a1·y₁ − a2·y₂.
struct Biquad {
    let b: (Double, Double, Double)
    let a: (Double, Double)
    private var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0

    init(b: (Double, Double, Double), a: (Double, Double)) {
        self.b = b
        self.a = a
    }

    mutating func process(_ x: Double) -> Double {
        let y = b.0 * x + b.1 * x1 + b.2 * x2 - a.0 * y1 - a.1 * y2
        x2 = x1
        x1 = x
        y2 = y1
        y1 = y
        return y
    }
}
