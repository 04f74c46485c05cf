#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// ``PeakLimiter`` a buffer at a time: the same samples out, byte for byte, as the limiter
/// gives over the whole audio at once, holding only the look-ahead in memory.
///
/// A frame's gain depends on the frames up to `reach + reach/2` after it (the sliding
/// minimum looks `reach` ahead, the smoothing half as far again), so each frame comes out
/// once those have gone in, and the last ones when ``finish()`` says the input ended.
/// The computation runs on slices with those margins, which give each window exactly the
/// frames (and, at the true start and end only, the clipping) the whole-audio pass gives it.
struct StreamingPeakLimiter {
    private let limiter: PeakLimiter
    private let channels: Int
    private let gain: Double
    private let scale: Double
    private let reach: Int
    private let half: Int
    private let coefficient: Double

    /// Input samples of the frames not given out yet (from frame `given`).
    private var input: [Int16] = []
    /// The gain each frame needs, from frame `neededBase`.
    private var needed: [Double] = []
    private var neededBase = 0
    /// The released envelope, from frame `releasedBase` up to `released` frames.
    private var envelope: [Double] = []
    private var releasedBase = 0
    private var current = 1.0
    /// Frames taken in, frames whose envelope is released, frames given out.
    private var received = 0
    private var releasedCount = 0
    private var given = 0
    private var ended = false

    init(_ limiter: PeakLimiter, gain: Double, sampleRate: Int, channels: Int) {
        self.limiter = limiter
        self.channels = channels
        self.gain = gain
        scale = gain / 32768
        reach = max(1, Int((limiter.lookahead * Double(sampleRate)).rounded()))
        half = reach / 2
        coefficient = 1 - exp(-1 / (limiter.release * Double(sampleRate)))
    }

    /// Takes the interleaved frames of `samples`.
    mutating func push(_ samples: ArraySlice<Int16>) {
        input.append(contentsOf: samples)
        let frames = samples.count / channels
        needed.reserveCapacity(needed.count + frames)
        var index = samples.startIndex
        for _ in 0..<frames {
            var loudest: Int32 = 0
            for channel in 0..<channels { loudest = max(loudest, abs(Int32(samples[index + channel]))) }
            let level = Double(loudest) * scale
            needed.append(level > limiter.ceiling ? limiter.ceiling / level : 1)
            index += channels
        }
        received += frames
    }

    /// Says no more input comes: the last frames can be given out.
    mutating func finish() { ended = true }

    /// Frames that can be given out now.
    var ready: Int { (ended ? received : max(given, received - reach - half)) - given }

    /// Appends up to `maxFrames` limited frames to `output`; returns how many.
    mutating func pull(maxFrames: Int, into output: inout [Int16]) -> Int {
        release(upTo: ended ? received : received - reach)
        let last = min(given + maxFrames, ended ? releasedCount : max(given, releasedCount - half))
        guard last > given else { return 0 }
        let sliceStart = max(0, given - half), sliceEnd = min(releasedCount, last + half)
        let smooth = PeakLimiter.smoothed(Array(envelope[(sliceStart - releasedBase)..<(sliceEnd - releasedBase)]), halfWidth: half)
        output.reserveCapacity(output.count + (last - given) * channels)
        for frame in given..<last {
            let frameGain = gain * min(smooth[frame - sliceStart], 1)
            let base = (frame - given) * channels
            for channel in 0..<channels {
                output.append(Int16(max(-32768, min(32767, (Double(input[base + channel]) * frameGain).rounded(.towardZero)))))
            }
        }
        let count = last - given
        input.removeFirst(count * channels)
        given = last
        trimEnvelope()
        return count
    }

    /// Releases the envelope of frames up to `end` (their sliding minimum needs `reach` after them).
    private mutating func release(upTo end: Int) {
        guard end > releasedCount else { return }
        let sliceStart = max(0, releasedCount - reach), sliceEnd = min(received, end + reach)
        let minima = PeakLimiter.slidingMinimum(Array(needed[(sliceStart - neededBase)..<(sliceEnd - neededBase)]), halfWidth: reach)
        for frame in releasedCount..<end {
            current = min(minima[frame - sliceStart], current + (1 - current) * coefficient)
            envelope.append(current)
        }
        releasedCount = end
        let keepNeeded = max(0, releasedCount - reach)
        if keepNeeded > neededBase {
            needed.removeFirst(keepNeeded - neededBase)
            neededBase = keepNeeded
        }
    }

    private mutating func trimEnvelope() {
        let keep = max(0, given - half)
        if keep > releasedBase {
            envelope.removeFirst(keep - releasedBase)
            releasedBase = keep
        }
    }
}
