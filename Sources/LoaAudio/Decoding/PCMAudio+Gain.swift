#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

extension PCMAudio {
    /// The audio with every sample times `decibels` of gain (rounded, clamped to 16 bits);
    /// 0 dB returns it unchanged.
    public func amplified(byDecibels decibels: Double) -> PCMAudio {
        guard decibels != 0 else { return self }
        let factor = pow(10, decibels / 20)
        var result = self
        result.samples = samples.map { Int16(max(-32768, min(32767, (Double($0) * factor).rounded()))) }
        return result
    }
}
