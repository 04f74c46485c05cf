#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// A look-ahead peak limiter: lowers the gain smoothly around the samples that would
/// pass `ceiling`, so a gain can raise speech with sharp peaks (eSpeak NG writes peaks at
/// full scale over −20 dBFS of speech) without clipping them.
///
/// For each frame the gain needed to keep its loudest channel under the ceiling is
/// found; the minimum over ±`lookahead` is taken (so the gain is already down when
/// the peak comes), then it recovers towards 1 with a `release` time constant, then it
/// is averaged over ±`lookahead`/2 to round the corners. Every step keeps the gain at
/// or below what each peak needs, so no sample passes the ceiling. All channels share
/// one gain, so the stereo image does not move.
struct PeakLimiter {
    /// The highest magnitude a sample may reach, full scale = 1.
    var ceiling: Double
    /// How far ahead (and behind) of a peak the gain is already down, in seconds.
    var lookahead = 0.005
    /// How fast the gain recovers after a peak (time constant), in seconds.
    var release = 0.1

    /// The samples of `audio` times `gain` (linear), limited, rounded towards zero.
    func apply(_ audio: PCMAudio, gain: Double) -> [Int16] {
        let channels = audio.channels, frames = audio.frameCount
        let scale = gain / 32768
        var needed = [Double](repeating: 1, count: frames)
        audio.samples.withUnsafeBufferPointer { samples in
            needed.withUnsafeMutableBufferPointer { needed in
                for frame in 0..<frames {
                    var loudest: Int32 = 0
                    for channel in 0..<channels { loudest = max(loudest, abs(Int32(samples[frame * channels + channel]))) }
                    let level = Double(loudest) * scale
                    if level > ceiling { needed[frame] = ceiling / level }
                }
            }
        }
        let reach = max(1, Int((lookahead * Double(audio.sampleRate)).rounded()))
        let envelope = Self.smoothed(
            Self.released(Self.slidingMinimum(needed, halfWidth: reach), coefficient: 1 - exp(-1 / (release * Double(audio.sampleRate)))),
            halfWidth: reach / 2)
        return [Int16](unsafeUninitializedCapacity: audio.samples.count) { result, initialized in
            audio.samples.withUnsafeBufferPointer { samples in
                envelope.withUnsafeBufferPointer { envelope in
                    for frame in 0..<frames {
                        let frameGain = gain * min(envelope[frame], 1)
                        for index in frame * channels..<(frame + 1) * channels {
                            result[index] = Int16(max(-32768, min(32767, (Double(samples[index]) * frameGain).rounded(.towardZero))))
                        }
                    }
                }
            }
            initialized = frames * channels
        }
    }

    /// The minimum of `values` over ±`halfWidth` around each index (a monotonic queue, O(n)).
    static func slidingMinimum(_ values: [Double], halfWidth: Int) -> [Double] {
        let count = values.count
        var result = [Double](repeating: 1, count: count)
        // Indices whose values increase from head to tail: the window's minimum is at the head.
        var queue = [Int](repeating: 0, count: count)
        var head = 0, tail = 0, next = 0
        values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { result in
                queue.withUnsafeMutableBufferPointer { queue in
                    for index in 0..<count {
                        while next < count, next <= index + halfWidth {
                            while tail > head, values[queue[tail - 1]] >= values[next] { tail -= 1 }
                            queue[tail] = next
                            tail += 1
                            next += 1
                        }
                        while queue[head] < index - halfWidth { head += 1 }
                        result[index] = values[queue[head]]
                    }
                }
            }
        }
        return result
    }

    /// Lets the gain rise back towards 1 by `coefficient` of the way each frame, never above `values`.
    static func released(_ values: [Double], coefficient: Double) -> [Double] {
        var current = 1.0
        return values.map { value in
            current = min(value, current + (1 - current) * coefficient)
            return current
        }
    }

    /// The mean of `values` over ±`halfWidth` (clipped at the ends).
    static func smoothed(_ values: [Double], halfWidth: Int) -> [Double] {
        guard halfWidth > 0, !values.isEmpty else { return values }
        let count = values.count
        var prefix = [Double](repeating: 0, count: count + 1)
        return values.withUnsafeBufferPointer { values in
            prefix.withUnsafeMutableBufferPointer { prefix in
                for index in 0..<count { prefix[index + 1] = prefix[index] + values[index] }
                return [Double](unsafeUninitializedCapacity: count) { result, initialized in
                    for index in 0..<count {
                        let low = max(0, index - halfWidth), high = min(count - 1, index + halfWidth)
                        result[index] = (prefix[high + 1] - prefix[low]) / Double(high - low + 1)
                    }
                    initialized = count
                }
            }
        }
    }
}
