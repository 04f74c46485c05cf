import Foundation
import LoaHarness
import LoaProtocol
import Testing

/// The clock estimate from NTP-style exchanges, on made-up links whose true offset and
/// delays are known.
@Suite("A device's clock offset from exchanges with the controller")
struct ClockOffsetEstimateTests {
    /// One exchange on a device whose clock is `offsetMs` ahead, the request taking `upMs`,
    /// the controller `serverMs`, the response `downMs`.
    static func exchange(at start: Double, offsetMs: Double, upMs: Double, serverMs: Double = 0.2, downMs: Double) -> ClockExchange {
        let t1 = start + upMs  // controller's clock is the true time
        let t2 = t1 + serverMs
        let t3 = t2 + downMs
        return ClockExchange(
            sent: Date(timeIntervalSince1970: (start + offsetMs) / 1000),
            controller: ControllerClockReading(receivedMs: t1, sentMs: t2),
            received: Date(timeIntervalSince1970: (t3 + offsetMs) / 1000))
    }

    @Test("a symmetric exchange gives the offset exactly; an asymmetric one is off by half the difference, within its bound")
    func oneExchange() throws {
        let even = try #require(ClockOffsetEstimate.best(of: [Self.exchange(at: 1e12, offsetMs: 300, upMs: 40, downMs: 40)]))
        #expect(abs(even.offsetMs - 300) < 0.01)
        #expect(abs(even.boundMs - 40) < 0.01)
        let uneven = try #require(ClockOffsetEstimate.best(of: [Self.exchange(at: 1e12, offsetMs: -120, upMs: 90, downMs: 30)]))
        #expect(abs(uneven.offsetMs - (-120 - 30)) < 0.01, "off by (90 − 30) / 2, behind: the request was the slower")
        #expect(abs(uneven.offsetMs + 120) <= uneven.boundMs)
    }

    @Test("16 exchanges on a link of 100 ± 50 ms each way: within 12 ms in 99 of 100 trials, where the fastest round trip alone is not")
    func jitteryLink() throws {
        var generator = SeededGenerator(seed: 19)
        var errors: [Double] = []
        var fastestErrors: [Double] = []
        for trial in 0..<100 {
            let offset = Double.random(in: -2000...2000, using: &generator)
            let exchanges = (0..<16).map { index in
                Self.exchange(
                    at: 1e12 + Double(trial * 10_000 + index * 250), offsetMs: offset,
                    upMs: .random(in: 50...150, using: &generator), downMs: .random(in: 50...150, using: &generator))
            }
            let estimate = try #require(ClockOffsetEstimate.best(of: exchanges))
            errors.append(abs(estimate.offsetMs - offset))
            #expect(abs(estimate.offsetMs - offset) <= estimate.boundMs + 0.01, "never beyond its bound")
            let fastest = try #require(exchanges.min { $0.roundTripMs < $1.roundTripMs })
            fastestErrors.append(abs(fastest.offsetMs - offset))
        }
        errors.sort()
        fastestErrors.sort()
        #expect(errors[98] <= 12, "p99 \(errors[98]) ms")
        #expect(errors[49] < fastestErrors[49], "median \(errors[49]) ms against \(fastestErrors[49]) ms from the fastest round trip")
    }

    @Test("no exchange, or only impossible ones, gives no estimate; bounds that do not meet fall back to the fastest exchange")
    func implausible() throws {
        #expect(ClockOffsetEstimate.best(of: []) == nil)
        let backwards = ClockExchange(
            sent: Date(timeIntervalSince1970: 100), controller: ControllerClockReading(receivedMs: 50_000, sentMs: 50_001),
            received: Date(timeIntervalSince1970: 99))
        #expect(ClockOffsetEstimate.best(of: [backwards]) == nil, "received before sent: a clock stepped")
        // The device's clock stepped by a second between two exchanges.
        let stepped = try #require(ClockOffsetEstimate.best(of: [
            Self.exchange(at: 1e12, offsetMs: 0, upMs: 10, downMs: 10), Self.exchange(at: 1e12 + 500, offsetMs: 1000, upMs: 20, downMs: 20),
        ]))
        #expect(abs(stepped.offsetMs) < 0.01 && stepped.uncertaintyMs > 9.99, "the fastest exchange's offset, as uncertain as half its round trip")
    }

    @Test("figures a device may report: finite, within a day and a minute")
    func plausibility() {
        #expect(ClockOffsetEstimate.isPlausible(offsetMs: -350.5, uncertaintyMs: 3))
        #expect(ClockOffsetEstimate.isPlausible(offsetMs: nil, uncertaintyMs: nil))
        #expect(!ClockOffsetEstimate.isPlausible(offsetMs: .nan, uncertaintyMs: 1))
        #expect(!ClockOffsetEstimate.isPlausible(offsetMs: 90_000_000, uncertaintyMs: 1))
        #expect(!ClockOffsetEstimate.isPlausible(offsetMs: 1, uncertaintyMs: -1))
        #expect(!ClockOffsetEstimate.isPlausible(offsetMs: 1, uncertaintyMs: 61_000))
    }
}
