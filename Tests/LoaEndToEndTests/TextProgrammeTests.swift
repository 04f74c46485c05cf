import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaProtocol
import LoaReceiver
import LoaSpeech
import LoaStore
import LoaHarness
import Testing

/// A text programme end to end: applied (read by eSpeak NG), approved, dispatched,
/// fetched by sha256 and played by real receivers through ALSA file PCMs.
@Suite("Text programmes are read aloud and air on the loudspeakers", .serialized)
struct TextProgrammeTests {
    static let text = "UBND xã thông báo: từ 7h30 ngày 25/12/2026, các hộ nộp 1.250.000 đồng/hộ tại nhà văn hóa thôn."

    /// A schedule of the test commune with one text programme for both hamlets, once, at `instant`.
    static func schedule(airingAt instant: Date) throws -> BroadcastSchedule {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let date = try #require(LocalDate(year: parts.year!, month: parts.month!, day: parts.day!))
        let time = try #require(LocalTime(hour: parts.hour!, minute: parts.minute!, second: parts.second!))
        return BroadcastSchedule(
            site: SiteSettings(id: Commune.testSite.id, name: "Xã Thử Nghiệm", slots: []),
            hamlets: [ScheduleHamlet(id: "thon-a", name: "Thôn Đông"), ScheduleHamlet(id: "thon-b", name: "Thôn Đoài")],
            programmes: [Programme(
                id: "thong-bao-nop-tien", title: "Thông báo nộp tiền", category: .other, content: .text(text),
                durationSeconds: 10, targets: .hamlets(["thon-a", "thon-b"]),
                recurrence: Recurrence(days: .once(date), times: .at([time])))])
    }

    @Test("a text programme for two hamlets, applied and approved, is played as its speech by a receiver in each and reported finished")
    func textProgrammeAirsInTwoHamlets() async throws {
        let commune = try await Commune()
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a")
        let b1 = try commune.receiver("loa-b1", hamlet: "thon-b")
        for receiver in [a1, b1] { receiver.start() }

        // Eight seconds ahead, in whole seconds as schedule times are.
        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(try Self.schedule(airingAt: instant), sourceFiles: [:], by: "can-bo-vh")
        #expect(try await commune.controller.store.latestZoneDocument(zone: "thon-a").map {
            try WireCoding.decode(ZoneSchedule.self, from: $0).items.isEmpty
        } ?? true, "nothing airs before approval")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")

        // The speech was made at apply time and stored as media; asking again reads the cache.
        let speech = try await commune.controller.media.speech(for: Self.text)
        #expect(speech.contentType == "audio/wav" && speech.durationMs > 3000)
        let wav = try #require(commune.controller.media.files.data(for: speech.sha256))
        #expect(MediaDigest.sha256(wav) == speech.sha256)
        // The media file is the speech cache's file under a second name: the WAV is on disk once.
        let cached = try FileManager.default.contentsOfDirectory(
            at: commune.directory.path("controller").appendingPathComponent("speech-cache"), includingPropertiesForKeys: nil)
        let inodes = try ([commune.controller.media.files.url(for: speech.sha256)] + cached).map { file in
            try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? UInt64)
        }
        #expect(cached.count == 1 && inodes.count == 2 && inodes[0] == inodes[1])
        // No volume of its own: the site's default step, 7, is 6 dB under the −16 LUFS target.
        let expected = try loudspeakerAudio(wav, volume: 7)

        for (receiver, zone) in [(a1, "thon-a"), (b1, "thon-b")] {
            let document = try WireCoding.decode(
                ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: zone)))
            let item = try #require(document.items.first { $0.announcementId == "thong-bao-nop-tien" })
            // The item carries the levelling gain the controller measured once (the receiver
            // applies it as it plays) and the chunk root of the WAV's bytes.
            var levelled = speech
            levelled.gainDb = LoudnessNormalisation.loudspeakers.levellingGain(for: try AudioDecoder.decode(wav))
            levelled.chunks = MediaChunkList.of(wav).chunks
            #expect(item.media == levelled && item.startAt == instant && item.volume == 7)
            let finished = try await commune.waitForEvents(item: item.id, kind: .finished, from: [receiver.receiver.configuration.deviceID], within: .seconds(40))
            let events = try await commune.controller.store.events(item: item.id).map { "\($0.device) \($0.kind) \($0.reason ?? "")" }
            #expect(finished.count == 1, "\(zone): \(events)")

            let played = try ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile)
            #expect(played.sampleRate == 22050 && played.channels == 1)
            let start = try #require(played.samples.firstIndex { $0 != 0 }, "nothing but silence reached \(zone)'s speaker")
            let firstReal = try #require(expected.samples.firstIndex { $0 != 0 })
            #expect(Array(played.samples[start...].prefix(expected.samples.count - firstReal)) == Array(expected.samples[firstReal...]),
                    "\(zone)'s speaker did not get the speech")
            let loudness = try #require(Loudness.integrated(played))
            #expect(abs(loudness - -22) < 1, "\(zone) played speech at \(loudness) LUFS, not the −22 LUFS of volume 7")
        }
        for receiver in [a1, b1] { await receiver.stop() }
        await commune.stop()
    }

    @Test("an apply fails naming the programme when the configured engine is missing, or the text is empty; nothing is stored")
    func applyFailsWhenTextCannotBeRead() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-speech-missing")
        defer { directory.remove() }
        let configuration = ControllerConfiguration(
            site: Commune.testSite, broker: .init(host: "127.0.0.1", port: broker.port), http: .init(host: "127.0.0.1", port: 0),
            dataDirectory: directory.path("controller").path, allowAnonymousBroker: true,
            speech: SpeechSettings(engine: "command", command: ["loa-no-such-speech-engine", "--voice", "vi"]))
        let running = try await InProcessController(configuration: configuration)
        var schedule = try Self.schedule(airingAt: Date().addingTimeInterval(3600))
        do {
            try await running.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
            Issue.record("a schedule whose text cannot be read must not apply")
        } catch ControllerError.invalidRequest(let problems) {
            #expect(problems == [
                "Chương trình thong-bao-nop-tien: không đọc được văn bản bằng giọng máy (text-to-speech failed): "
                    + SpeechError.engineMissing(program: "loa-no-such-speech-engine").description,
            ])
        }
        schedule.programmes[0].content = .text(" \n ")
        await #expect(throws: ControllerError.self) {
            try await running.controller.programmes.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh")
        }
        #expect(try await running.controller.store.activeSchedule() == nil)
        await running.stop()
    }

    @Test("the controller's settings refuse a bad speech section at start-up, naming the field")
    func badSpeechSettings() throws {
        let directory = try TemporaryDirectory(prefix: "loa-speech-settings")
        defer { directory.remove() }
        let file = directory.path("controller.json")
        for (speech, field) in [
            (SpeechSettings(rate: 20), "speech.rate"), (SpeechSettings(engine: "festival"), "speech.engine"),
            (SpeechSettings(engine: "command", command: []), "speech.command"),
        ] {
            let configuration = ControllerConfiguration(
                site: Commune.testSite, broker: .init(host: "127.0.0.1", port: 1883), http: .init(port: 0),
                dataDirectory: directory.path("data").path, speech: speech)
            try JSONEncoder().encode(configuration).write(to: file)
            do {
                _ = try ControllerConfiguration.load(from: file.path)
                Issue.record("\(field) must be refused")
            } catch let error as ConfigurationError {
                #expect(error.problems.count == 1 && error.problems[0].contains(field), "\(error)")
            }
        }
        let good = ControllerConfiguration(
            site: Commune.testSite, broker: .init(host: "127.0.0.1", port: 1883), http: .init(port: 0),
            dataDirectory: directory.path("data").path, speech: SpeechSettings(voice: "vi", rate: 150))
        try JSONEncoder().encode(good).write(to: file)
        #expect(try ControllerConfiguration.load(from: file.path).speech == SpeechSettings(voice: "vi", rate: 150))
    }
}
