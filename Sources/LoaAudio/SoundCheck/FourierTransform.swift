#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// An in-place radix-2 fast Fourier transform of complex samples (real and imaginary
/// parts apart), for cross-correlations that a direct sum would make too slow.
enum FourierTransform {
    /// Transforms `real` + i·`imaginary` in place; their count must be a power of two.
    /// `inverse` computes the unscaled inverse (divide by the count afterwards).
    static func transform(_ real: inout [Double], _ imaginary: inout [Double], inverse: Bool = false) {
        let count = real.count
        precondition(count == imaginary.count && count > 0 && count & (count - 1) == 0, "a power of two")
        // Bit-reversal permutation.
        var j = 0
        for i in 1..<count {
            var bit = count >> 1
            while j & bit != 0 {
                j ^= bit
                bit >>= 1
            }
            j |= bit
            if i < j {
                real.swapAt(i, j)
                imaginary.swapAt(i, j)
            }
        }
        var length = 2
        while length <= count {
            let angle = (inverse ? 2 : -2) * Double.pi / Double(length)
            let stepReal = cos(angle), stepImaginary = sin(angle)
            var start = 0
            while start < count {
                var wReal = 1.0, wImaginary = 0.0
                for k in 0..<(length / 2) {
                    let a = start + k, b = a + length / 2
                    let tReal = real[b] * wReal - imaginary[b] * wImaginary
                    let tImaginary = real[b] * wImaginary + imaginary[b] * wReal
                    real[b] = real[a] - tReal
                    imaginary[b] = imaginary[a] - tImaginary
                    real[a] += tReal
                    imaginary[a] += tImaginary
                    let next = wReal * stepReal - wImaginary * stepImaginary
                    wImaginary = wReal * stepImaginary + wImaginary * stepReal
                    wReal = next
                }
                start += length
            }
            length <<= 1
        }
    }

    /// The cross-correlation Σₙ reference[n] · signal[n + lag] for every lag at which the
    /// reference lies wholly inside the signal (lag 0…signal.count − reference.count).
    static func crossCorrelation(_ reference: [Double], _ signal: [Double]) -> [Double] {
        let lags = signal.count - reference.count + 1
        guard lags > 0, !reference.isEmpty else { return [] }
        var size = 1
        while size < signal.count + reference.count { size <<= 1 }
        var signalReal = signal + [Double](repeating: 0, count: size - signal.count)
        var signalImaginary = [Double](repeating: 0, count: size)
        var referenceReal = reference + [Double](repeating: 0, count: size - reference.count)
        var referenceImaginary = [Double](repeating: 0, count: size)
        transform(&signalReal, &signalImaginary)
        transform(&referenceReal, &referenceImaginary)
        // S · conj(R): the correlation's spectrum.
        for k in 0..<size {
            let real = signalReal[k] * referenceReal[k] + signalImaginary[k] * referenceImaginary[k]
            let imaginary = signalImaginary[k] * referenceReal[k] - signalReal[k] * referenceImaginary[k]
            signalReal[k] = real
            signalImaginary[k] = imaginary
        }
        transform(&signalReal, &signalImaginary, inverse: true)
        let scale = 1 / Double(size)
        return (0..<lags).map { signalReal[$0] * scale }
    }
}
