import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaReports
import LoaStore
import Testing

/// A relay of national radio on real parts: an upstream "VOV" (ffmpeg sending a tone to an
/// Icecast), the controller pulling it once with ffmpeg into its own Icecast, whose every
/// listener it checks, and receivers playing the mount through ALSA file PCMs. The upstream
/// dies mid-relay: the controller moves to the province's station, the receivers follow.
@Suite("Relays of live radio to the hamlets", .serialized)
struct RelayTests {
    @Test("one pull re-served to two hamlets; the upstream killed mid-relay, sound returns from the next source within 5 s; the gap and the seconds sounded are reported; a wrong token is refused")
    func relayFailsOverAndReports() async throws {
        let upstream = try IcecastServer()
        let vov = try UpstreamStation(icecast: upstream, mount: "/vov1.mp3", frequency: 440)
        let province = try UpstreamStation(icecast: upstream, mount: "/tinh.mp3", frequency: 1000)
        let rig = try await RelayRig(stallSeconds: 3)
        let commune = rig.commune
        defer { Task { await rig.stop() } }
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: try rig.appendingSpeaker("loa-a1"))
        let b1 = try commune.receiver("loa-b1", hamlet: "thon-b", adjust: try rig.appendingSpeaker("loa-b1"))
        for receiver in [a1, b1] { receiver.start() }
        defer { Task { for receiver in [a1, b1] { await receiver.stop() } } }

        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 10).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(
            try RelaySchedule.once(relaying: [vov.url, province.url], at: instant, seconds: 16), sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")

        let document = try WireCoding.decode(
            ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        let item = try #require(document.items.first { $0.announcementId == "tiep-song-vov" })
        let stream = try #require(item.stream, "a relay item carries its stream")
        let mount = RelayWindow.mount(site: Commune.testSite.id, programme: "tiep-song-vov", startAt: instant)
        #expect(stream.urls == ["\(rig.icecast.url)\(mount)"] && stream.endAt == instant.addingTimeInterval(16))
        #expect(item.media.contentType == "audio/wav", "the stand-by notice rides along as the item's media")

        let devices: Set<String> = ["loa-a1", "loa-b1"]
        let inThonB = try WireCoding.decode(
            ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-b")))
        let itemB = try #require(inThonB.items.first { $0.announcementId == "tiep-song-vov" })
        #expect(itemB.stream == stream, "both hamlets hear the one mount")
        func airing(_ device: String) -> String { device == "loa-a1" ? item.id : itemB.id }
        _ = try await commune.waitForEvents(item: item.id, kind: .started, from: ["loa-a1"], within: .seconds(20))
        // Four seconds of national radio, then it goes off the air.
        try await Task.sleep(for: .seconds(4))
        let killedAt = Date()
        vov.kill()
        for device in devices {
            _ = try await commune.waitForEvents(item: airing(device), kind: .resumed, from: [device], within: .seconds(15))
        }
        // The operator sees the switch in the metrics while the window lasts: one pull, now on the second source.
        let token = try await commune.controller.store.addUser(
            name: "ky-thuat", displayName: "Kỹ thuật viên", roles: [.operator], at: Date()).token
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(commune.httpPort)/metrics")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let metrics = String(decoding: try await LoopbackHTTP.data(for: request).0, as: UTF8.self)
        #expect(metrics.contains("loa_relay_pulls{source=\"1\"} 1") && metrics.contains("loa_relay_source_switches_total 1"), "\(metrics)")
        for device in devices {
            _ = try await commune.waitForEvents(item: airing(device), kind: .finished, from: [device], within: .seconds(25))
        }

        for (device, receiver) in [("loa-a1", a1), ("loa-b1", b1)] {
            let events = try await commune.controller.store.events(item: airing(device)).filter { $0.device == device }
            let kinds = events.map(\.kind)
            print("relay \(device) events:", events.map { "\($0.kind) at \($0.at.timeIntervalSince(instant)) measured \($0.measuredStartAt.map { $0.timeIntervalSince(instant) } ?? -1) played \($0.playedMs ?? -1) \($0.reason ?? "")" })
            #expect(kinds.filter { $0 == .interrupted }.count == 1 && kinds.filter { $0 == .resumed }.count == 1, "\(device): \(events.map { "\($0.kind) \($0.reason ?? "")" })")
            let started = try #require(events.first { $0.kind == .started }?.measuredStartAt)
            #expect(abs(started.timeIntervalSince(instant)) < 0.5, "\(device) started the relay \(started.timeIntervalSince(instant)) s from its instant")
            let resumed = try #require(events.first { $0.kind == .resumed }?.measuredStartAt)
            let gap = resumed.timeIntervalSince(killedAt)
            print("relay \(device): sound again \(gap) s after the upstream died")
            #expect(gap < 5, "\(device): sound came back \(gap) s after the upstream died")
            let finished = try #require(events.first { $0.kind == .finished })
            let played = try #require(finished.playedMs)
            #expect(played > 16_000 - Int(gap * 1000) - 2_000 && played <= 16_000, "\(device) sounded \(played) ms of 16 s with a \(gap) s gap")

            // The speaker got VOV's tone, then the province's, never VOV's again.
            let tones = try Self.sessions(in: receiver.speakerFile).flatMap(Self.tones(in:))
            let firstProvince = try #require(tones.firstIndex(of: 1000), "\(device): the province's tone never sounded: \(tones)")
            #expect(tones[..<firstProvince].filter { $0 == 440 }.count >= 6, "\(device): VOV's tone sounded before: \(tones)")
            #expect(!tones[firstProvince...].contains(440), "\(device): \(tones)")
        }

        // The relayed minutes count in the report by category and hamlet, as a file's do.
        let database = commune.directory.path("controller").appendingPathComponent("loa.sqlite").path
        let report = ReportBuilder(from: nil, to: nil, hamlet: nil, category: nil, schedules: try LogAudit.scheduleVersions(databaseAt: database))
            .build(try LogAudit.entries(databaseAt: database), checkpoint: nil)
        for hamlet in ["thon-a", "thon-b"] {
            let row = try #require(report.rows.first { $0.category == "propaganda" && $0.hamlet == hamlet }, "\(report.rows)")
            #expect(row.played == 1 && row.airedMinutes > 12.0 / 60 && row.airedMinutes <= 16.0 / 60, "\(hamlet): \(row)")
        }

        // One pull for both hamlets: the upstream had one listener from the controller's ffmpeg.
        let pulls = (try? String(contentsOf: upstream.directory.path("log/access.log"), encoding: .utf8))?
            .split(separator: "\n").filter { $0.contains("GET /vov1.mp3") && $0.contains("Lavf") }.count
        #expect(pulls == 1, "the upstream was pulled \(pulls ?? -1) times: \(upstream.directory.path("log/access.log").path)")

        // A device token that is not right is refused by the relay: no open mount.
        let player = ALSAPlayer(output: ALSAFilePCM.output(writingTo: commune.directory.path("stranger.wav")))
        await #expect(throws: AudioStreamError.refused(url: stream.urls[0], status: 401)) {
            _ = try await player.playStream(
                AudioStreamRequest(url: stream.urls[0], user: "loa-a1", password: "not-the-token"), from: nil,
                until: Date().addingTimeInterval(2))
        }
    }

    /// The audio of each playback in a file of WAVs written one after another.
    static func sessions(in url: URL) throws -> [PCMAudio] {
        let bytes = try Data(contentsOf: url)
        var starts: [Int] = []
        var index = bytes.startIndex
        while let found = bytes[index...].firstRange(of: Data("RIFF".utf8)) {
            starts.append(found.lowerBound)
            index = found.upperBound
        }
        return try zip(starts, starts.dropFirst() + [bytes.endIndex]).map { start, end in
            let part = FileManager.default.temporaryDirectory.appendingPathComponent("loa-session-\(UUID().uuidString).wav")
            defer { try? FileManager.default.removeItem(at: part) }
            try bytes[start..<end].write(to: part)
            return try ALSAFilePCM.readPlayedPCM(at: part)
        }
    }

    @Test("with every source off the air, the stand-by notice sounds once, and the relay is reported with its gap and the seconds it sounded")
    func standByWhenEverySourceIsGone() async throws {
        let upstream = try IcecastServer()
        let vov = try UpstreamStation(icecast: upstream, mount: "/vov1.mp3", frequency: 440)
        let rig = try await RelayRig(stallSeconds: 3)
        let commune = rig.commune
        defer { Task { await rig.stop() } }
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: try rig.appendingSpeaker("loa-a1"))
        a1.start()
        defer { Task { await a1.stop() } }
        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 10).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(
            try RelaySchedule.once(relaying: [vov.url], at: instant, seconds: 16), sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")
        let document = try WireCoding.decode(
            ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        let item = try #require(document.items.first { $0.stream != nil })
        _ = try await commune.waitForEvents(item: item.id, kind: .started, from: ["loa-a1"], within: .seconds(20))
        try await Task.sleep(for: .seconds(3))
        vov.kill()
        let finished = try await commune.waitForEvents(item: item.id, kind: .finished, from: ["loa-a1"], within: .seconds(25))
        let events = try await commune.controller.store.events(item: item.id)
        #expect(events.filter { $0.kind == .interrupted }.count == 1 && !events.contains { $0.kind == .resumed },
                "\(events.map { "\($0.kind) \($0.reason ?? "")" })")
        let played = try #require(finished.first?.playedMs)
        #expect(played >= 2_500 && played <= 6_000, "the relay sounded \(played) ms before its only source died")
        #expect(finished.first?.reason?.contains("1 lần gián đoạn") == true)

        // The speaker got the stream, then the stand-by notice as the item's media, once.
        let standBy = try loudspeakerAudio(try #require(commune.controller.media.files.data(for: item.media.sha256)), volume: item.playbackVolume)
        let sessions = try Self.sessions(in: a1.speakerFile)
        let notices = sessions.filter { $0.sampleRate == standBy.sampleRate && $0.frameCount >= standBy.frameCount - standBy.sampleRate / 10 }
        #expect(sessions.count >= 2 && notices.count == 1, "\(sessions.map { "\($0.sampleRate) Hz \($0.frameCount)" })")
    }

    @Test("VOV's form, an HLS playlist of AAC segments, is relayed: the speaker gets its tone")
    func hlsUpstream() async throws {
        let webroot = try TemporaryDirectory(prefix: "loa-hls")
        defer { webroot.remove() }
        let upstream = try IcecastServer(webroot: webroot.url)
        let vov = try HLSStation(icecast: upstream, webroot: webroot.url, name: "vov1", frequency: 440)
        let rig = try await RelayRig()
        let commune = rig.commune
        defer { Task { await rig.stop() } }
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a")
        a1.start()
        defer { Task { await a1.stop() } }
        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 10).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(
            try RelaySchedule.once(relaying: [vov.url], at: instant, seconds: 8), sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")
        let document = try WireCoding.decode(
            ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        let item = try #require(document.items.first { $0.stream != nil })
        let finished = try await commune.waitForEvents(item: item.id, kind: .finished, from: ["loa-a1"], within: .seconds(30))
        let played = try #require(finished.first?.playedMs)
        #expect(played >= 6_000, "the HLS relay sounded \(played) ms of 8 s")
        let tones = Self.tones(in: try ALSAFilePCM.readPlayedPCM(at: a1.speakerFile))
        #expect(tones.filter { $0 == 440 }.count >= 10 && !tones.contains(1000), "\(tones)")
    }

    /// The tone of each half second of `audio`: 440, 1000, or 0 for neither (silence, noise).
    static func tones(in audio: PCMAudio) -> [Int] {
        let window = audio.sampleRate / 2
        return stride(from: 0, to: audio.frameCount - window, by: window).map { start in
            let frames = (start..<start + window).map { Double(audio.samples[$0 * audio.channels]) }
            let energy = frames.reduce(0) { $0 + $1 * $1 }
            guard energy > 0 else { return 0 }
            for frequency in [440, 1000] where goertzel(frames, frequency: Double(frequency), rate: Double(audio.sampleRate)) > 0.6 * energy {
                return frequency
            }
            return 0
        }
    }

    /// The share of `frames`' energy at `frequency` (Goertzel), scaled to compare with the total.
    static func goertzel(_ frames: [Double], frequency: Double, rate: Double) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / rate)
        var (previous, beforePrevious) = (0.0, 0.0)
        for sample in frames {
            (previous, beforePrevious) = (sample + coefficient * previous - beforePrevious, previous)
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return 2 * power / Double(frames.count)
    }
}
