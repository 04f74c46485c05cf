import Foundation
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import Testing

/// Audio reaches a hamlet over 4G, which breaks: the receiver resumes where the bytes
/// stopped, never from zero, and plays only what it verified, read from disk as it plays.
@Suite("Media downloads (test clock)")
struct MediaDownloadTests {
    @Test("a download broken twice resumes where it stopped (1 s, then 2 s later), never from zero; the item then sounds whole")
    func brokenDownloadResumes() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(60)
        let (item, wav) = rig.item("noi-tiep", at: startAt, seconds: 4)
        rig.media.cutNextDownloads(after: [40_000, 40_000])
        try rig.publish([item], version: 1)

        _ = try await eventually(within: .seconds(10)) { rig.media.downloads == 1 }
        await rig.clock.run(for: 1.5)
        _ = try await eventually(within: .seconds(10)) { rig.media.downloads == 2 }
        #expect(try rig.event(.ready, of: "noi-tiep") == nil)
        await rig.clock.run(for: 2.5)
        _ = try await rig.waitFor(.ready, of: "noi-tiep")
        #expect(rig.media.requestedOffsets == [0, 40_000, 80_000])
        #expect(rig.media.bytesSent == wav.count, "every byte was sent once")

        await rig.clock.run(until: startAt.addingTimeInterval(6))
        _ = try await rig.waitFor(.finished, of: "noi-tiep")
        #expect(rig.speaker.playbacks.first?.samples == (try ReceiverRig.sounded(wav)))
        #expect(try rig.kinds(of: "noi-tiep") == [.received, .ready, .started, .finished])
    }

    @Test("a chunk that arrives damaged is thrown away with what follows and fetched again from there, never played")
    func damagedChunkFetchedAgain() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(60)
        let (item, wav) = rig.item("hong-khuc", at: startAt, seconds: 4, chunkSize: 16_384)  // 128 kB: 8 chunks
        rig.media.corruptNextDownloads(atByte: [40_000])  // in chunk 2 (32,768…49,151)
        try rig.publish([item], version: 1)

        _ = try await eventually(within: .seconds(10)) { rig.media.downloads == 1 }
        await rig.clock.run(for: 1.5)
        _ = try await rig.waitFor(.ready, of: "hong-khuc")
        // The second download asked from the damaged chunk's first byte: what was verified before it was kept.
        #expect(rig.media.requestedOffsets == [0, 32_768])
        await rig.clock.run(until: startAt.addingTimeInterval(6))
        _ = try await rig.waitFor(.finished, of: "hong-khuc")
        #expect(rig.speaker.playbacks.first?.samples == (try ReceiverRig.sounded(wav)))
    }

    @Test("two items of the same audio fetched at once share one download and both sound")
    func sameAudioFetchedOnce() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(20)
        let (first, wav) = rig.item("mot-lan", at: startAt, seconds: 2)
        var second = first
        second.id = "hai-lan"
        second.startAt = startAt.addingTimeInterval(5)
        try rig.publish([first, second], version: 1)
        _ = try await rig.waitFor(.ready, of: "mot-lan")
        _ = try await rig.waitFor(.ready, of: "hai-lan")
        #expect(rig.media.downloads == 1)
        await rig.clock.run(until: startAt.addingTimeInterval(8))
        _ = try await rig.waitFor(.finished, of: "hai-lan")
        #expect(rig.speaker.playbacks.map(\.samples) == [try ReceiverRig.sounded(wav), try ReceiverRig.sounded(wav)])
    }

    @Test("a download that cannot finish before the item's instant and grace is reported failed, naming the download")
    func downloadThatNeverEndsFails() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(20)
        let (item, _) = rig.item("mat-song", at: startAt, seconds: 4)
        rig.media.cutNextDownloads(after: Array(repeating: 1000, count: 50))
        try rig.publish([item], version: 1)

        await rig.clock.run(until: startAt.addingTimeInterval(10))
        let failed = try await rig.waitFor(.failed, of: "mat-song")
        #expect(failed.reason?.contains("the connection broke") == true)
        // 1, 2, 4, 8 s apart: five attempts before the instant's grace ran out, each resuming.
        #expect(rig.media.requestedOffsets == [0, 1000, 2000, 3000, 4000])
        #expect(rig.speaker.playbacks.isEmpty)
    }

    @Test("an item from an older controller (no levelling gain) is levelled on the device and sounds the same")
    func itemWithoutGainSoundsTheSame() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let startAt = rig.clock.now.addingTimeInterval(10)
        let (item, wav) = rig.item("cu", at: startAt, seconds: 2, levelled: false)
        #expect(item.media.gainDb == nil)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "cu")
        await rig.clock.run(until: startAt.addingTimeInterval(3))
        _ = try await rig.waitFor(.finished, of: "cu")
        #expect(rig.speaker.playbacks.first?.samples == (try ReceiverRig.sounded(wav)))
    }

    @Test("a cached file damaged on the device is fetched again, not played")
    func damagedCacheFetchedAgain() async throws {
        let rig = try ReceiverRig()
        let running = try await rig.start(try rig.receiver())
        defer { running.cancel() }
        let first = rig.clock.now.addingTimeInterval(10)
        let (item, wav) = rig.item("hong", at: first, seconds: 2)
        try rig.publish([item], version: 1)
        _ = try await rig.waitFor(.ready, of: "hong")
        let cached = URL(fileURLWithPath: rig.configuration.stateDirectory).appendingPathComponent("media").appendingPathComponent(item.media.sha256)
        var damaged = try Data(contentsOf: cached)
        damaged[damaged.count / 2] ^= 0x55
        try damaged.write(to: cached)

        var again = item
        again.id = "hong-2"
        again.startAt = first.addingTimeInterval(10)
        try rig.publish([item, again], version: 2)
        _ = try await rig.waitFor(.ready, of: "hong-2")
        #expect(rig.media.downloads == 2)
        #expect(MediaDigest.sha256(try Data(contentsOf: cached)) == item.media.sha256)
        await rig.clock.run(until: again.startAt.addingTimeInterval(3))
        _ = try await rig.waitFor(.finished, of: "hong-2")
        #expect(rig.speaker.playbacks.last?.samples == (try ReceiverRig.sounded(wav)))
    }
}
