import Foundation
import LoaHarness
import LoaProtocol
import LoaReceiver
import Synchronization
import Testing

/// How many exchanges a clock estimate takes: 16 on a quiet link, 48 on a jittery one,
/// where the fastest of 16 are still far from the link's least delay.
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

    @Test("on a 4G-like link (100 ± 50 ms each way) it takes all 48 exchanges, and errs far less than with 16")
    func jitteryLinkTakesAll() async throws {
        var errors48: [Double] = []
        var errors16: [Double] = []
        for seed in UInt64(1)...40 {
            let jittery = SimulatedLink(offsetMs: -250, jitterMs: 0...100, seed: seed)
            let estimate = try #require(await sampler(jittery).estimate().estimate)
            #expect(jittery.reads == 48)
            #expect(estimate.samples == 48)
            errors48.append(abs(estimate.offsetMs + 250))

            let fixed = SimulatedLink(offsetMs: -250, jitterMs: 0...100, seed: seed)
            var sixteen = sampler(fixed)
            sixteen.maximumSamples = 16
            errors16.append(abs(try #require(await sixteen.estimate().estimate).offsetMs + 250))
            #expect(fixed.reads == 16)
        }
        let worst = { (values: [Double]) in values.sorted()[values.count * 9 / 10] }
        print(String(format: "clock estimate error, 40 rounds, p90: %.2f ms with 48 exchanges, %.2f ms with 16", worst(errors48), worst(errors16)))
        #expect(worst(errors48) < worst(errors16) * 0.6, "p90 error \(worst(errors48)) ms against \(worst(errors16)) ms with 16")
        #expect(worst(errors48) < 6, "p90 error \(worst(errors48)) ms")
    }

    @Test("a link steady but for a few slow exchanges (a jitter of 2 ms) still stops at 16")
    func slightlyJitteryLinkStopsAt16() async throws {
        let link = SimulatedLink(offsetMs: 35, jitterMs: 0...2, seed: 7)
        let estimate = try #require(await sampler(link).estimate().estimate)
        #expect(link.reads == 16)
        #expect(abs(estimate.offsetMs - 35) <= 1.5, "estimated \(estimate.offsetMs) ms")
    }

    /// A link that never answers its `hangingRead`-th request (until cancelled).
    final class LinkLosingOneAnswer: ControllerTimeSource {
        let link: SimulatedLink
        let hangingRead: Int
        private let reads = Atomic<Int>(0)

        init(_ link: SimulatedLink, hangingRead: Int) {
            self.link = link
            self.hangingRead = hangingRead
        }

        func read() async throws -> ControllerClockReading {
            if reads.add(1, ordering: .relaxed).newValue == hangingRead {
                try await Task.sleep(for: .seconds(3600))
            }
            return try await link.read()
        }
    }

    @Test("an exchange whose answer never comes is given up after its timeout, and the estimate is made without it")
    func lostAnswerDoesNotStopTheClock() async throws {
        let link = LinkLosingOneAnswer(SimulatedLink(offsetMs: 75, jitterMs: 0...0.2, seed: 3), hangingRead: 3)
        var sampler = ClockSampler(source: link, clock: SystemInstantClock())
        sampler.spacing = .milliseconds(1)
        sampler.exchangeTimeout = .milliseconds(200)
        // Had it not been given up, the estimate would wait the hour the lost answer takes.
        let (estimate, lastError) = await sampler.estimate()
        #expect(lastError is ClockExchangeTimeout)
        let made = try #require(estimate)
        #expect(made.samples == 15)
        #expect(abs(made.offsetMs - 75) <= 1, "estimated \(made.offsetMs) ms")
    }
}
