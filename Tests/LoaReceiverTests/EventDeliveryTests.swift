import Foundation
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaProtocol
import LoaReceiver
import Testing

/// Events reach the controller whatever the link does: kept while it is down, resent
/// until receipted, never lost across a restart; and a restart neither replays nor forgets.
@Suite("Events and restarts (test clock)")
struct EventDeliveryTests {
    @Test("with the broker away the item still sounds; its events wait in the outbox and go out on reconnect")
    func offlineThenReconnect() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        let t = rig.clock.now
        let (item, _) = rig.item("mat-mang", at: t.addingTimeInterval(20), seconds: 2)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "mat-mang")
        rig.link.disconnect()
        let sentBefore = try rig.sentEvents().count

        await rig.clock.run(until: t.addingTimeInterval(30))
        #expect(rig.speaker.playbacks.count == 1)
        #expect(try rig.sentEvents().count == sentBefore)
        #expect(try await receiver.pendingEventCount() == 4)

        rig.link.reconnect()
        _ = try await rig.waitFor(.finished, of: "mat-mang")
        #expect(try rig.kinds(of: "mat-mang") == [.received, .ready, .started, .finished])
    }

    @Test("an event without a receipt is sent again after 10 s; once receipted it is never sent again")
    func resentUntilReceipted() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        let (item, _) = rig.item("bien-nhan", at: rig.clock.now.addingTimeInterval(60))
        try rig.publish([item], version: 1)
        let received = try await rig.waitFor(.received, of: "bien-nhan")
        _ = try await rig.waitFor(.ready, of: "bien-nhan")
        func sends(_ id: String) throws -> Int { try rig.sentEvents().filter { $0.id == id }.count }
        #expect(try sends(received.id) == 1)

        await rig.clock.run(for: 12)
        _ = try await eventually(within: .seconds(5)) { try sends(received.id) >= 2 }
        #expect(try sends(received.id) == 2)

        let ready = try #require(try rig.event(.ready, of: "bien-nhan"))
        try rig.receipt([received.id, ready.id])
        _ = try await eventually(within: .seconds(5)) { try await receiver.pendingEventCount() == 0 }
        let sendsAtReceipt = try sends(received.id)
        await rig.clock.run(for: 30)
        #expect(try sends(received.id) == sendsAtReceipt)
        #expect(try sends(ready.id) <= 2)
    }

    @Test("a receiver restarted offline plays from the document it remembers, without reporting it received again")
    func restartOfflinePlaysFromMemory() async throws {
        let rig = try ReceiverRig()
        let firstReceiver = try rig.receiver()
        let first = try await rig.start(firstReceiver)
        let t = rig.clock.now
        let (item, wav) = rig.item("nho", at: t.addingTimeInterval(40), seconds: 2)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "nho")
        try await rig.receiptAll(by: firstReceiver)
        first.cancel()
        _ = try? await first.value

        // The broker is gone: the new process's link never connects.
        let away = MemoryBrokerLink()
        away.disconnect()
        let restarted = try rig.receiver(link: away)
        let second = try await rig.start(restarted, link: away)
        defer { second.cancel() }
        await rig.clock.run(until: t.addingTimeInterval(45))

        _ = try await eventually(within: .seconds(5)) { await restarted.finishedItems.contains("nho") }
        #expect(rig.speaker.playbacks.map(\.start) == [item.startAt])
        #expect(rig.speaker.playbacks.first?.samples == (try ReceiverRig.sounded(wav)))
        away.reconnect()
        _ = try await eventually(within: .seconds(5)) { try rig.sentEvents(on: away).contains { $0.kind == .finished } }
        // Made ready again from the media cache (the same event id, kept once), never received anew.
        let kinds = try rig.sentEvents(on: away).map(\.kind)
        #expect(kinds == [.ready, .started, .finished])
        #expect(rig.media.downloads == 1)
    }

    @Test("a receiver that died mid-play reports at restart what sounded (started, then interrupted) and does not play it again")
    func diedMidPlay() async throws {
        let rig = try ReceiverRig()
        // The first process keeps its own clock, which stops when it "dies": it never runs again.
        let ownClock = ManualClock(rig.clock.now)
        let ownSpeaker = VirtualSpeaker(clock: ownClock)
        let dying = try rig.receiver(clock: ownClock, speaker: ownSpeaker)
        let first = try await rig.start(dying)
        let t = rig.clock.now
        let (item, _) = rig.item("dang-phat", at: t.addingTimeInterval(10), seconds: 6)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "dang-phat")
        await ownClock.run(until: t.addingTimeInterval(13.5))
        _ = try await rig.waitFor(.started, of: "dang-phat")
        // Its playback record says 3 s had sounded at the last write (it is written every second).
        let record = URL(fileURLWithPath: rig.configuration.stateDirectory).appendingPathComponent("playing.json")
        _ = try await eventually(within: .seconds(5)) {
            let fields = (try? Data(contentsOf: record)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            return fields?["playedMs"] as? Int == 3000
        }
        try await rig.receiptAll(by: dying)
        // Frozen mid-play, as by kill -9: nothing of it runs again.
        _ = first

        rig.clock.advance(to: t.addingTimeInterval(20))
        let other = MemoryBrokerLink()
        let second = try await rig.start(try rig.receiver(link: other), link: other)
        defer { second.cancel() }
        await rig.clock.run(for: 10)

        _ = try await eventually(within: .seconds(5)) { try rig.sentEvents(on: other).contains { $0.kind == .failed } }
        let failed = try #require(try rig.sentEvents(on: other).first { $0.kind == .failed })
        #expect(failed.reason?.contains("interrupted: the receiver stopped while playing, after 3.0–6.0 s") == true)
        // `started` again, with the same id (kept once by the controller), in case it was lost.
        let kinds = try rig.sentEvents(on: other).map(\.kind)
        #expect(kinds == [.started, .failed])
        #expect(rig.speaker.playbacks.isEmpty)
    }
}

/// Stopping never waits on a broker that is away.
@Suite("Stopping a receiver (test clock)")
struct StoppingTests {
    @Test("with the broker away, a stopping receiver gives up on its 'offline' state after 2 s and closes its connection")
    func stopsWithTheBrokerAway() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        rig.link.disconnect()
        running.cancel()
        _ = try? await running.value
        #expect(try await eventually(within: .seconds(5)) { rig.link.state == .closed })
    }
}
