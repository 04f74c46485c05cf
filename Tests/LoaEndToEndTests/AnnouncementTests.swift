import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaStore
import LoaProtocol
import LoaHarness
import Testing

/// The walking skeleton, end to end: controller → Mosquitto → receivers → ALSA → events.
@Suite("An announcement from the controller to hamlet loudspeakers", .serialized)
struct AnnouncementTests {
    /// How far a measured start may be from the set instant on the `file` PCM.
    static let startTolerance = 50.0

    @Test("an announcement to hamlet A is played by A's two receivers at the instant, not by B's, and reported")
    func playsOnlyInTargetHamlet() async throws {
        let commune = try await Commune()
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a")
        let a2 = try commune.receiver("loa-a2", hamlet: "thon-a")
        let b1 = try commune.receiver("loa-b1", hamlet: "thon-b")
        for receiver in [a1, a2, b1] { receiver.start() }

        let audio = try sampleAudio("thong-bao-mau.wav")
        let expected = try loudspeakerAudio(audio)
        let announcement = try await commune.announce(audio, to: ["thon-a"], at: Date().addingTimeInterval(2))
        let item = "\(announcement.id)@thon-a"

        let finished = try await commune.waitForEvents(item: item, kind: .finished, from: ["loa-a1", "loa-a2"])
        #expect(Set(finished.map(\.device)) == ["loa-a1", "loa-a2"])
        let started = try await commune.controller.store.events(item: item).filter { $0.kind == .started }
        #expect(started.count == 2)
        for event in started {
            let offset = try #require(event.startOffsetMs)
            #expect(abs(offset) < Self.startTolerance, "\(event.device) started \(offset) ms from the instant")
        }
        let kinds = try await commune.controller.store.events(item: item, device: "loa-a1").map(\.kind)
        #expect(kinds == [.received, .ready, .started, .finished])

        for receiver in [a1, a2] {
            let played = try ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile)
            #expect(played.sampleRate == expected.sampleRate)
            #expect(played.channels == expected.channels)
            let start = try #require(played.samples.firstIndex { $0 != 0 }, "nothing but silence reached \(receiver.speakerFile.lastPathComponent)")
            let firstReal = try #require(expected.samples.firstIndex { $0 != 0 })
            let body = Array(played.samples[start...].prefix(expected.samples.count - firstReal))
            #expect(body == Array(expected.samples[firstReal...]), "the speaker did not get the announcement's samples")
        }
        #expect(try await commune.controller.store.events(item: item, device: "loa-b1").isEmpty)
        #expect((try? ALSAFilePCM.readPlayedPCM(at: b1.speakerFile).samples.contains { $0 != 0 }) != true)

        for receiver in [a1, a2, b1] { await receiver.stop() }
        await commune.stop()
    }

    @Test("a receiver offline at send time plays what is still to come and reports what it missed")
    func offlineReceiverCatchesUp() async throws {
        let commune = try await Commune()
        let late = try commune.receiver("loa-a3", hamlet: "thon-a", lateGraceSeconds: 0.5)
        let chime = try sampleAudio("chime.wav")
        let now = Date()
        let past = try await commune.announce(chime, to: ["thon-a"], at: now.addingTimeInterval(1), title: "Đã qua")
        let coming = try await commune.announce(chime, to: ["thon-a"], at: now.addingTimeInterval(4.5), title: "Sắp tới")
        try await Task.sleep(for: .seconds(2.5))
        late.start()

        let missed = try await commune.waitForEvents(item: "\(past.id)@thon-a", kind: .missed, from: ["loa-a3"])
        #expect(missed.count == 1)
        #expect(missed.first?.reason?.contains("after its start") == true)
        let finished = try await commune.waitForEvents(item: "\(coming.id)@thon-a", kind: .finished, from: ["loa-a3"])
        #expect(finished.count == 1)
        let started = try await commune.controller.store.events(item: "\(coming.id)@thon-a").first { $0.kind == .started }
        #expect(abs(try #require(started?.startOffsetMs)) < Self.startTolerance)
        #expect(try await commune.controller.store.events(item: "\(past.id)@thon-a").allSatisfy { $0.kind != .started })
        await late.stop()
        await commune.stop()
    }

    @Test("an item waiting for a later instant does not hold up an earlier one")
    func laterItemDoesNotBlockEarlierOne() async throws {
        let commune = try await Commune()
        let receiver = try commune.receiver("loa-a4", hamlet: "thon-a")
        receiver.start()
        let chime = try sampleAudio("chime.wav")
        let later = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(120), title: "Sau")
        _ = try await commune.waitForEvents(item: "\(later.id)@thon-a", kind: .ready, from: ["loa-a4"])
        let sooner = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(1.5), title: "Trước")
        let finished = try await commune.waitForEvents(item: "\(sooner.id)@thon-a", kind: .finished, from: ["loa-a4"])
        #expect(finished.count == 1)
        let started = try await commune.controller.store.events(item: "\(sooner.id)@thon-a").first { $0.kind == .started }
        #expect(abs(try #require(started?.startOffsetMs)) < Self.startTolerance)
        await receiver.stop()
        await commune.stop()
    }

    @Test("a corrupted download is refused and reported, not played")
    func corruptedMediaIsRefused() async throws {
        let commune = try await Commune()
        let receiver = try commune.receiver("loa-b2", hamlet: "thon-b")
        receiver.start()
        // Larger than the files a controller checks against their hash and serves from
        // memory (4 MiB, `MediaInMemory`): streamed from the file as it is, so the damaged
        // bytes reach the receiver. A smaller damaged file is replaced by the database's copy
        // or answered 503, never sent (`SharedMediaTests`).
        let audio = WAVFile.bytes(of: halfScaleTone(seconds: 140, frequency: 523))
        #expect(audio.count > 4 << 20)
        let media = try await commune.controller.media.addAudio(audio)
        var corrupted = audio
        corrupted[corrupted.count / 2] ^= 0xFF
        try corrupted.write(to: commune.controller.media.files.url(for: media.sha256))
        let announcement = try await commune.controller.announcements.announce(.init(
            title: "Tệp hỏng", media: media.sha256, hamlets: ["thon-b"], startAt: Date().addingTimeInterval(1)))

        let failed = try await commune.waitForEvents(item: "\(announcement.id)@thon-b", kind: .failed, from: ["loa-b2"])
        #expect(failed.first?.reason?.contains("hash mismatch") == true)
        let kinds = try await commune.controller.store.events(item: "\(announcement.id)@thon-b").map(\.kind)
        #expect(!kinds.contains(.started))
        #expect((try? ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile).samples.contains { $0 != 0 }) != true)
        await receiver.stop()
        await commune.stop()
    }
}
