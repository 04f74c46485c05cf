import Foundation
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import Testing

/// Who has the speaker when (MIC Circular 39/2020: normal < priority < emergency), and
/// quiet hours, on the test clock.
@Suite("Turns at the speaker (test clock)")
struct SpeakerTurnTests {
    @Test("an emergency cuts a normal item short and sounds at its instant; the normal item is reported preempted, naming it")
    func emergencyPreempts() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let t = rig.clock.now
        let (normal, _) = rig.item("thuong", at: t.addingTimeInterval(10), seconds: 6)
        let (emergency, alarm) = rig.item("khan", at: t.addingTimeInterval(13), seconds: 2, priority: .emergency, frequency: 880)
        try rig.publish([normal, emergency], version: 1)
        _ = try await rig.waitFor(.ready, of: "thuong")
        _ = try await rig.waitFor(.ready, of: "khan")

        // To the emergency's claim, one speaker lead (1 s) before its instant; the clock stands
        // still until the claim has stopped the normal item, which ends with the period under way.
        await rig.clock.run(until: t.addingTimeInterval(12))
        _ = try await eventually(within: .seconds(10)) { rig.speaker.stopRequested || !rig.speaker.playbacks.isEmpty }
        await rig.clock.run(until: t.addingTimeInterval(20))
        let preempted = try await rig.waitFor(.preempted, of: "thuong")
        _ = try await rig.waitFor(.finished, of: "khan")

        let playbacks = rig.speaker.playbacks
        #expect(playbacks.count == 2)
        #expect(rig.speaker.overlappingPlaybacks == 0)
        // The emergency claims the speaker one second ahead (the speaker lead): the normal
        // item stops then, and the emergency's first frame is on its instant.
        #expect(playbacks[0].stoppedEarly)
        let cutAfter = playbacks[0].end.timeIntervalSince(normal.startAt)
        #expect(cutAfter >= 2 - 0.001 && cutAfter <= 2.05 + 0.001)
        #expect(playbacks[1].start == emergency.startAt)
        #expect(playbacks[1].samples == (try ReceiverRig.sounded(alarm)))
        #expect(preempted.reason?.contains("'Bản tin khan'") == true)
        #expect(preempted.reason?.hasPrefix("bị ngắt bởi bản tin khẩn cấp") == true)
        #expect(try rig.kinds(of: "thuong") == [.received, .ready, .started, .preempted])
    }

    @Test("items of one class take turns: the later waits for the earlier to end and sounds late, its lateness reported")
    func equalClassesTakeTurns() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let t = rig.clock.now
        let (first, _) = rig.item("dau", at: t.addingTimeInterval(10), seconds: 3)
        let (second, _) = rig.item("sau", at: t.addingTimeInterval(11), seconds: 2)
        try rig.publish([first, second], version: 1)
        _ = try await rig.waitFor(.ready, of: "sau")
        _ = try await rig.waitFor(.ready, of: "dau")

        // To the first's end; the clock stands still while the speaker passes to the second.
        await rig.clock.run(until: t.addingTimeInterval(13))
        let started = try await rig.waitFor(.started, of: "sau")
        await rig.clock.run(until: t.addingTimeInterval(20))
        _ = try await rig.waitFor(.finished, of: "sau")

        let playbacks = rig.speaker.playbacks
        #expect(playbacks.map(\.stoppedEarly) == [false, false])
        #expect(rig.speaker.overlappingPlaybacks == 0)
        #expect(playbacks[1].start == playbacks[0].end)
        #expect(started.startOffsetMs == 2000)
    }

    @Test("an item whose turn comes after its grace is reported missed, saying how long the speaker was busy")
    func beyondTheGraceMissed() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let t = rig.clock.now
        let (long, _) = rig.item("dai", at: t.addingTimeInterval(10), seconds: 8)
        let (short, _) = rig.item("ngan", at: t.addingTimeInterval(11), seconds: 1)
        try rig.publish([long, short], version: 1)
        _ = try await rig.waitFor(.ready, of: "ngan")
        _ = try await rig.waitFor(.ready, of: "dai")

        await rig.clock.run(until: t.addingTimeInterval(18))
        let missed = try await rig.waitFor(.missed, of: "ngan")
        #expect(missed.reason == "the speaker was free only 7.0 s after its start")
        #expect(rig.speaker.playbacks.count == 1)
    }

    @Test("in quiet hours a normal item is reported missed with the span, and an emergency still sounds")
    func quietHours() async throws {
        // 22:30 in Vietnam; quiet from 22:00 to 05:00.
        let rig = try ReceiverRig(at: ReceiverRig.nineAM.addingTimeInterval(13.5 * 3600))
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let t = rig.clock.now
        let quiet = [QuietHours(start: LocalTime(hour: 22, minute: 0)!, end: LocalTime(hour: 5, minute: 0)!)]
        let (normal, _) = rig.item("dem", at: t.addingTimeInterval(10), seconds: 1)
        let (emergency, _) = rig.item("bao", at: t.addingTimeInterval(20), seconds: 1, priority: .emergency)
        try rig.publish([normal, emergency], version: 1, quietHours: quiet)
        _ = try await rig.waitFor(.ready, of: "dem")
        _ = try await rig.waitFor(.ready, of: "bao")

        await rig.clock.run(until: t.addingTimeInterval(25))
        let missed = try await rig.waitFor(.missed, of: "dem")
        _ = try await rig.waitFor(.finished, of: "bao")
        #expect(missed.reason == "giờ yên tĩnh 22:00–05:00: chỉ phát tin khẩn cấp (quiet hours 22:00–05:00: only emergencies)")
        #expect(rig.speaker.playbacks.map(\.start) == [emergency.startAt])
    }
}
