@testable import LoaController
import Testing

/// A periodic job woken before its turn: a poke ends the wait at once, a poke while the
/// job is busy is kept for its next wait, and without one the wait lasts its time.
@Suite("Waking a periodic job")
struct JobWakeupTests {
    @Test("a poke during the wait ends it; one made while busy ends the next at once; none: it times out")
    func pokes() async throws {
        let wakeup = JobWakeup()
        let clock = ContinuousClock()

        let quiet = clock.now
        #expect(await wakeup.wait(upTo: .milliseconds(50)) == false)
        #expect(clock.now - quiet >= .milliseconds(50))

        wakeup.poke()
        let kept = clock.now
        #expect(await wakeup.wait(upTo: .seconds(30)) == true, "a poke made while busy is kept")
        #expect(clock.now - kept < .seconds(20), "well before the 30 s")

        async let woken = wakeup.wait(upTo: .seconds(30))
        try await Task.sleep(for: .milliseconds(50))
        let poked = clock.now
        wakeup.poke()
        #expect(await woken == true)
        #expect(clock.now - poked < .seconds(20), "well before the 30 s")
        #expect(await wakeup.wait(upTo: .milliseconds(20)) == false, "one poke wakes once")
    }

    @Test("a cancelled wait returns at once")
    func cancelled() async {
        let wakeup = JobWakeup()
        let waiting = Task { await wakeup.wait(upTo: .seconds(30)) }
        let start = ContinuousClock.now
        waiting.cancel()
        #expect(await waiting.value == false)
        #expect(ContinuousClock.now - start < .seconds(20), "well before the 30 s (a loaded test machine once took 7 s to run it)")
    }
}
