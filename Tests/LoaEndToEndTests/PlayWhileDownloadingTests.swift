import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A long item reaches a hamlet late over a slow link: the receiver starts it on time
/// while the rest still downloads, each 64 KiB chunk checked against the hash list whose
/// root the signed item carries, and the speaker gets every sample, none unverified.
@Suite("Playing while downloading, chunk by chunk", .serialized)
struct PlayWhileDownloadingTests {
    @Test("30 s of audio over a 50 kB/s link, announced 6 s ahead: it starts on the instant and plays whole, where waiting for the file would miss it")
    func startsOnTimeWhileTheRestArrives() async throws {
        let commune = try await Commune()
        let proxy = try DelayingProxy(forwardingTo: commune.httpPort, oneWayDelayMs: 20...60, downlinkBytesPerSecond: 50_000)
        defer { proxy.stop() }
        let receiver = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: { $0.mediaBaseURL = "http://127.0.0.1:\(proxy.port)" })
        receiver.start()

        // 960 kB: 19 s to download, more than the 6 s ahead and the 5 s of grace; its 3 s
        // head (96 kB) arrives in 2 s, and the rest faster than it plays (32 kB/s).
        let wav = WAVFile.bytes(of: halfScaleTone(seconds: 30))
        let media = try await commune.controller.media.addAudio(wav)
        let announcement = try await commune.announce(media: media, to: ["thon-a"], at: Date().addingTimeInterval(6))
        let item = "\(announcement.id)@thon-a"

        let started = try #require(try await commune.waitForEvents(item: item, kind: .started, from: ["loa-a1"]).first)
        let offset = try #require(started.startOffsetMs)
        #expect(abs(offset) < 100, "started \(offset) ms from the instant")
        #expect(proxy.downlinkBytes < wav.count, "it started before the file was whole (\(proxy.downlinkBytes) of \(wav.count) bytes sent)")
        let ready = try #require(try await commune.waitForEvents(item: item, kind: .ready, from: ["loa-a1"]).first)
        #expect(ready.reason?.contains("playing while downloading") == true, "\(ready.reason ?? "no reason")")

        let finished = try #require(try await commune.waitForEvents(item: item, kind: .finished, from: ["loa-a1"], within: .seconds(45)).first)
        #expect(finished.playedMs == 30_000)
        let played = try ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile)
        let expected = try loudspeakerAudio(wav)
        let start = try #require(played.samples.firstIndex { $0 != 0 })
        let firstReal = try #require(expected.samples.firstIndex { $0 != 0 })
        #expect(Array(played.samples[start...].prefix(expected.samples.count - firstReal)) == Array(expected.samples[firstReal...]))
        await receiver.stop()
        await commune.stop()
    }

    @Test("the controller serves each file's chunk hashes, whose root its items carry, to devices only")
    func chunkListServedToDevices() async throws {
        let commune = try await Commune()
        let wav = WAVFile.bytes(of: halfScaleTone(seconds: 5))
        let media = try await commune.controller.media.addAudio(wav)
        let url = URL(string: "http://127.0.0.1:\(commune.httpPort)/media/\(media.sha256)/chunks")!
        var request = URLRequest(url: url)
        request.setValue("Bearer loa-a1:\(commune.controller.mediaAccess.token(for: "loa-a1"))", forHTTPHeaderField: "Authorization")
        let (body, response) = try await LoopbackHTTP.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let list = try WireCoding.decode(MediaChunkList.self, from: body)
        #expect(list == MediaChunkList.of(wav))
        #expect(list.hashes.count == (wav.count + 65_535) / 65_536)

        // The items sent name the same root.
        let announcement = try await commune.announce(media: media, to: ["thon-a"], at: Date().addingTimeInterval(60))
        let sent = try WireCoding.decode(ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        let carried = try #require(sent.items.first { $0.id == "\(announcement.id)@thon-a" }).media
        #expect(carried.chunks == MediaChunks(size: 65_536, root: list.root))
        var checked = carried
        checked.chunks?.root = String(repeating: "0", count: 64)
        #expect(throws: Never.self) { try MediaChunkList.checked(body, for: carried).get() }
        #expect(throws: MediaChunkList.ChunkListProblem.self) { try MediaChunkList.checked(body, for: checked).get() }

        let (_, anonymous) = try await LoopbackHTTP.data(from: url)
        #expect((anonymous as? HTTPURLResponse)?.statusCode == 401)

        // A file damaged on the controller's disk gets no root: a root of the damaged bytes
        // would let them play before the whole file's hash refused them.
        let other = WAVFile.bytes(of: halfScaleTone(seconds: 2, frequency: 880))
        let damaged = try await commune.controller.media.addAudio(other)
        var bytes = other
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: commune.controller.media.files.url(for: damaged.sha256))
        request.url = URL(string: "http://127.0.0.1:\(commune.httpPort)/media/\(damaged.sha256)/chunks")!
        let (_, refused) = try await LoopbackHTTP.data(for: request)
        #expect((refused as? HTTPURLResponse)?.statusCode == 404)
        let announced = try await commune.announce(media: damaged, to: ["thon-a"], at: Date().addingTimeInterval(120))
        let next = try WireCoding.decode(ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        #expect(try #require(next.items.first { $0.id == "\(announced.id)@thon-a" }).media.chunks == nil)
        await commune.stop()
    }
}
