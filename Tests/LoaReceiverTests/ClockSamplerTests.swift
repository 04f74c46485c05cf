import Foundation
import LoaHarness
import LoaProtocol
import LoaReceiver
import Synchronization
import Testing

/// How many exchanges a clock estimate takes: 16 on a quiet link, more (up to 48) on a
/// jittery one, where the fastest of 16 are still far from the link's least delay.
struct ClockSamplerTests {
    /// A controller `offsetMs` behind the device, over a link whose one-way delays are
    /// 50 ms plus a seeded draw from `jitterMs` each way; it counts the exchanges.
    final class SimulatedLink: ControllerTimeSource {
        let offsetMs: Double
        let jitterMs: ClosedRange<Double>
        private let state: Mutex<(generator: SeededGenerator, reads: Int)>

        init(offsetMs: Double, jitterMs: ClosedRange<Double>, seed: UInt64) {
            self.offsetMs = offsetMs
            self.jitterMs = jitterMs
            state = Mutex((SeededGenerator(seed: seed), 0))
        }

        var reads: Int { state.withLock { $0.reads } }

        func read() async throws -> ControllerClockReading {
            let (up, down) = state.withLock { state in
                state.reads += 1
                return (50 + Double.random(in: jitterMs, using: &state.generator), 50 + Double.random(in: jitterMs, using: &state.generator))
            }
            // The device stamps its send and receipt around this call, which returns at once:
            // the controller's stamps carry the delays instead (arrival after `up`, departure `down` before receipt).
            let now = Date().timeIntervalSince1970 * 1000
            return ControllerClockReading(receivedMs: now - offsetMs + up, sentMs: now - offsetMs - down)
        }
    }

    func sampler(_ link: SimulatedLink) -> ClockSampler {
        var sampler = ClockSampler(source: link, clock: SystemInstantClock())
        sampler.spacing = .milliseconds(1)
        return sampler
    }

    @Test("on a quiet link 16 exchanges are enough, and the estimate is the offset")
    func quietLinkStopsAt16() async throws {
        let link = SimulatedLink(offsetMs: 420, jitterMs: 0...0.2, seed: 1)
        let estimate = try #require(await sampler(link).estimate().estimate)
        #expect(link.reads == 16)
        #expect(abs(estimate.offsetMs - 420) <= 1, "estimated \(estimate.offsetMs) ms")
    }

    @Test("on a 4G-like link (100 ± 50 ms each way) it takes more exchanges, and errs less than with 16")
    func jitteryLinkTakesMore() async throws {
        var errorsAdaptive: [Double] = []
        var errorsFixed: [Double] = []
        var longer = 0
        for seed in UInt64(1)...20 {
            let adaptive = SimulatedLink(offsetMs: -250, jitterMs: 0...100, seed: seed)
            let estimate = try #require(await sampler(adaptive).estimate().estimate)
            #expect(adaptive.reads >= 16 && adaptive.reads <= 48)
            if adaptive.reads > 16 { longer += 1 }
            errorsAdaptive.append(abs(estimate.offsetMs + 250))

            let fixed = SimulatedLink(offsetMs: -250, jitterMs: 0...100, seed: seed)
            var sixteen = sampler(fixed)
            sixteen.maximumSamples = 16
            errorsFixed.append(abs(try #require(await sixteen.estimate().estimate).offsetMs + 250))
            #expect(fixed.reads == 16)
        }
        // 16 do when their bounds happen to be tight: most rounds need more.
        #expect(longer >= 10, "\(longer) of 20 rounds took more than 16 exchanges")
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        #expect(mean(errorsAdaptive) < mean(errorsFixed) * 0.7, "mean error \(mean(errorsAdaptive)) ms against \(mean(errorsFixed)) ms with 16")
    }
}
