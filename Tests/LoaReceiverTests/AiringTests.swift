import Foundation
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import Testing

/// One item from its document to its last frame, on the test clock: when it sounds,
/// what sounds, and what the receiver reports.
@Suite("Airing an item (test clock)")
struct AiringTests {
    @Test("an item sounds from its instant to its end, exactly its audio, and is reported received, ready, started, finished")
    func playsAtItsInstant() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(30)
        let (item, wav) = rig.item("mot", at: startAt, seconds: 3)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "mot")
        #expect(rig.speaker.playbacks.isEmpty)

        await rig.clock.run(until: startAt.addingTimeInterval(5))
        let finished = try await rig.waitFor(.finished, of: "mot")

        let playback = try #require(rig.speaker.playbacks.first)
        #expect(rig.speaker.playbacks.count == 1)
        #expect(playback.start == startAt)
        #expect(!playback.stoppedEarly)
        #expect(playback.samples == (try ReceiverRig.sounded(wav)))
        #expect(try rig.kinds(of: "mot") == [.received, .ready, .started, .finished])
        let started = try #require(try rig.event(.started, of: "mot"))
        #expect(started.measuredStartAt == startAt)
        #expect(started.startOffsetMs == 0)
        #expect(finished.playedMs == 3000)
        #expect(await receiver.finishedItems == ["mot"])
    }

    @Test("an item learned of after its grace is reported missed, saying how late, and never sounds")
    func learnedTooLate() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let (item, _) = rig.item("tre", at: rig.clock.now.addingTimeInterval(-12))
        try rig.publish([item], version: 1)

        let missed = try await rig.waitFor(.missed, of: "tre")
        #expect(missed.reason == "learned of it 12.0 s after its start (offline or off)")
        #expect(try rig.kinds(of: "tre") == [.received, .missed])
        await rig.clock.run(for: 10)
        #expect(rig.speaker.playbacks.isEmpty)
    }

    @Test("within its grace a late item still sounds, at once, with its lateness reported")
    func lateWithinGrace() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(-2)
        let (item, _) = rig.item("muon", at: startAt, seconds: 1)
        try rig.publish([item], version: 1)

        // The clock stands still: it sounds as soon as it is ready.
        let started = try await rig.waitFor(.started, of: "muon")
        #expect(started.startOffsetMs == 2000)
        await rig.clock.run(for: 3)
        _ = try await rig.waitFor(.finished, of: "muon")
        #expect(try rig.kinds(of: "muon") == [.received, .ready, .started, .finished])
    }

    @Test("audio whose bytes do not match the signed hash is refused: failed, naming the mismatch, nothing sounds")
    func wrongBytesNeverSound() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let (item, wav) = rig.item("sai", at: rig.clock.now.addingTimeInterval(20))
        var tampered = wav
        tampered[tampered.count - 1] ^= 0xFF
        rig.media.serve(tampered, as: item.media.sha256)

        try rig.publish([item], version: 1)
        let failed = try await rig.waitFor(.failed, of: "sai")
        #expect(failed.reason?.contains("hash mismatch: expected sha256 \(item.media.sha256)") == true)
        await rig.clock.run(for: 30)
        #expect(rig.speaker.playbacks.isEmpty)
        #expect(try rig.kinds(of: "sai") == [.received, .failed])
    }

    @Test("a document signed by another key is refused and counted; nothing in it is received or played")
    func forgedDocumentRefused() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        let (forged, _) = rig.item("gia", at: rig.clock.now.addingTimeInterval(10))
        try rig.publish([forged], version: 1, signer: MessageSigner(key: SigningKey(name: "test-controller")))
        let (genuine, _) = rig.item("that", at: rig.clock.now.addingTimeInterval(10))
        try rig.publish([genuine], version: 2)

        _ = try await rig.waitFor(.ready, of: "that")
        await rig.clock.run(for: 15)
        _ = try await rig.waitFor(.finished, of: "that")
        #expect(try rig.events(of: "gia").isEmpty)
        #expect(rig.speaker.playbacks.count == 1)
        #expect(await receiver.refusedMessages.values.reduce(0, +) == 1)
    }

    @Test("an item withdrawn before its instant is reported cancelled, once, saying why; nothing sounds")
    func withdrawnBeforeItsInstant() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(30)
        let (item, _) = rig.item("huy", at: startAt)
        let (other, _) = rig.item("giu", at: startAt.addingTimeInterval(10))
        try rig.publish([item, other], version: 1)
        _ = try await rig.waitFor(.ready, of: "huy")

        try rig.publish([other], version: 2)
        let cancelled = try await rig.waitFor(.cancelled, of: "huy")
        #expect(cancelled.reason == "đã rút khỏi lịch trước giờ phát (withdrawn from the schedule before it sounded)")
        await rig.clock.run(until: startAt.addingTimeInterval(15))
        _ = try await rig.waitFor(.finished, of: "giu")
        #expect(try rig.kinds(of: "huy") == [.received, .ready, .cancelled])
        #expect(rig.speaker.playbacks.count == 1)
    }

    @Test("an item withdrawn while it sounds stops within a period and is reported failed, with what sounded")
    func withdrawnWhilePlaying() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(10)
        let (item, _) = rig.item("rut", at: startAt, seconds: 6)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "rut")

        await rig.clock.run(until: startAt.addingTimeInterval(2))
        try rig.publish([], version: 2)
        let failed = try await rig.waitFor(.failed, of: "rut")
        await rig.clock.run(for: 10)

        let playback = try #require(rig.speaker.playbacks.first)
        #expect(playback.stoppedEarly)
        #expect(abs(playback.end.timeIntervalSince(startAt) - 2) <= 0.15)
        let played = try #require(failed.playedMs)
        #expect((1900...2150).contains(played))
        #expect(failed.reason?.contains("left the schedule") == true)
        #expect(try rig.kinds(of: "rut") == [.received, .ready, .started, .failed], "no 'cancelled' after it sounded")
    }
}
