import Foundation
import LoaAudio
@testable import LoaSpeech
import LoaHarness
import Testing

/// The real eSpeak NG, real programs for the command engine, a cache on disk.
@Suite("Speech engines and the speech cache")
struct SpeechEngineTests {
    @Test("eSpeak NG reads Vietnamese to a proper WAV: sizes repaired, decodable, not silent")
    func espeakReadsVietnamese() async throws {
        let engine = EspeakNGEngine()
        #expect(engine.identity == "espeak-ng -v vi --stdout --stdin")
        let raw = try await engine.synthesise("Xin chào bà con, ủy ban nhân dân xã thông báo.")
        let (wav, audio) = try SpeechWAV.prepared(raw, program: engine.identity)
        #expect(raw.count == wav.count)
        let dataSize = wav[40..<44].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(dataSize == wav.count - 44, "the data chunk's size is what follows it, not espeak's 0x7FFFF000")
        #expect(audio.channels == 1 && audio.sampleRate == 22050)
        #expect(audio.duration > .seconds(1))
        #expect(try #require(Loudness.integrated(audio)) > -40)
    }

    @Test("a speech program is started with its standard input, output and error only: none of the controller's sockets and files")
    func onlyItsOwnDescriptors() async throws {
        let held = (0..<20).map { _ in open("/dev/null", O_RDONLY) }
        defer { for descriptor in held { close(descriptor) } }
        let listing = try await SpeechCommand(program: "/bin/ls", arguments: ["/proc/self/fd"]).run(input: "")
        let descriptors = String(decoding: listing, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }.sorted()
        // 0, 1, 2 and the one ls opens to read the folder.
        #expect(descriptors.count <= 4 && descriptors.prefix(3) == [0, 1, 2], "\(descriptors)")
    }

    @Test("the settings choose the engine; bad settings name the field")
    func settings() throws {
        #expect(try SpeechSettings().makeEngine().identity == "espeak-ng -v vi --stdout --stdin")
        #expect(try SpeechSettings(voice: "vi", rate: 150).makeEngine().identity == "espeak-ng -v vi -s 150 --stdout --stdin")
        #expect(try SpeechSettings(engine: "command", command: ["piper", "--model", "vi.onnx"]).makeEngine().identity == "piper --model vi.onnx")
        for bad in [
            SpeechSettings(engine: "festival"), SpeechSettings(rate: 20), SpeechSettings(engine: "command"),
            SpeechSettings(engine: "command", command: ["x"], voice: "vi"), SpeechSettings(command: ["x"]),
        ] {
            #expect(throws: SpeechError.self) { try bad.makeEngine() }
        }
        let error = SpeechError.invalidSettings("speech.rate")
        #expect(error.description.hasPrefix("cấu hình giọng đọc không hợp lệ"))
    }

    @Test("a missing engine, a failing one and one that writes no WAV give clear Vietnamese-first errors")
    func engineErrors() async throws {
        let missing = try CommandSpeechEngine(command: ["loa-no-such-speech-engine", "--vi"])
        await #expect(throws: SpeechError.engineMissing(program: "loa-no-such-speech-engine")) {
            try await missing.synthesise("xin chào")
        }
        #expect(SpeechError.engineMissing(program: "espeak-ng").description.hasPrefix("không tìm thấy chương trình đọc văn bản 'espeak-ng'"))

        let failing = try CommandSpeechEngine(command: ["sh", "-c", "echo 'voice not found' >&2; exit 3"])
        do {
            _ = try await failing.synthesise("xin chào")
            Issue.record("a failing engine must throw")
        } catch SpeechError.engineFailed(_, let status, let message) {
            #expect(status == 3 && message == "voice not found")
        }

        // `cat` echoes the text: not WAV.
        let echo = try CommandSpeechEngine(command: ["cat"])
        let text = try await echo.synthesise("văn bản \"có\" dấu; $(không) chạy shell")
        #expect(String(decoding: text, as: UTF8.self) == "văn bản \"có\" dấu; $(không) chạy shell", "the text reaches stdin untouched")
        #expect(throws: SpeechError.self) { try SpeechWAV.prepared(text, program: "cat") }
        #expect(throws: SpeechError.self) { try SpeechWAV.prepared(Data(), program: "cat") }
    }

    @Test("an engine that runs too long is killed and reported")
    func timeout() async throws {
        let slow = SpeechCommand(program: "sleep", arguments: ["30"], timeout: .milliseconds(300))
        await #expect(throws: SpeechError.engineTimedOut(program: "sleep", seconds: 0)) {
            try await slow.run(input: "")
        }
    }

    @Test("the cache keys by engine identity and the words read; a second request does not run the engine")
    func cache() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-speech-cache")
        defer { directory.remove() }
        let cache = try SpeechCache(directory: directory.path("speech"))
        let synthesizer = SpeechSynthesizer(engine: EspeakNGEngine(), cache: cache)
        let first = try await synthesizer.speech(for: "Nộp 1.250.000đ trước 17h30.")
        #expect(!first.fromCache)
        #expect(first.spokenText == "Nộp một triệu hai trăm năm mươi nghìn đồng trước mười bảy giờ ba mươi phút.")
        #expect(first.cacheKey == SpeechCache.key(engineIdentity: "espeak-ng -v vi --stdout --stdin", spokenText: first.spokenText))
        #expect(FileManager.default.fileExists(atPath: cache.url(for: first.cacheKey).path))

        // Written differently, read the same: one cache entry.
        let second = try await synthesizer.speech(for: "Nộp 1.250.000 đồng trước 17:30.")
        #expect(second.fromCache && second.wav == first.wav && second.cacheKey == first.cacheKey)
        #expect(synthesizer.cachedSpeech(for: "Nộp 1.250.000 VNĐ trước 17h30.")?.wav == first.wav)

        // Another rate is another voice: a new file.
        let slower = SpeechSynthesizer(engine: EspeakNGEngine(rate: 140), cache: cache)
        #expect(slower.cachedSpeech(for: "Nộp 1.250.000đ trước 17h30.") == nil)
        let slow = try await slower.speech(for: "Nộp 1.250.000đ trước 17h30.")
        #expect(!slow.fromCache && slow.cacheKey != first.cacheKey && slow.audio.duration > first.audio.duration)

        await #expect(throws: SpeechError.emptyText) { try await synthesizer.speech(for: "  \n ") }
    }

    @Test("communes of one process share what the same engine read: 20 asking at once run it once, and each commune's cache keeps the file, written once")
    func sharedInTheProcess() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-speech-shared")
        defer { directory.remove() }
        let shared = SharedSpeech()
        let communes = try (0..<20).map {
            SpeechSynthesizer(engine: EspeakNGEngine(), cache: try SpeechCache(directory: directory.path("xa-\($0)")), shared: shared)
        }
        let warning = "Bão số 3 đổ bộ lúc 14h00; người dân không ra đồng."
        let readings = try await withThrowingTaskGroup(of: Speech.self) { group in
            for commune in communes { group.addTask { try await commune.speech(for: warning) } }
            return try await group.reduce(into: [Speech]()) { $0.append($1) }
        }
        #expect(readings.filter { !$0.fromCache }.count == 1, "the engine ran once")
        #expect(Set(readings.map(\.wav)).count == 1)
        var files = Set<UInt64>()
        for commune in communes {
            let file = commune.cache.url(for: readings[0].cacheKey)
            #expect(try Data(contentsOf: file) == readings[0].wav)
            var status = stat()
            #expect(stat(file.path, &status) == 0)
            files.insert(UInt64(status.st_ino))
        }
        #expect(files.count == 1, "the WAV is written to disk once; each commune's cache names that file")
        #expect(readings.allSatisfy { $0.file.map { try? Data(contentsOf: $0) } == readings[0].wav }, "each names a file holding its WAV")

        // Another voice (rate) is another reading, even with the same words.
        let slower = SpeechSynthesizer(
            engine: EspeakNGEngine(rate: 140), cache: try SpeechCache(directory: directory.path("cham")), shared: shared)
        let slow = try await slower.speech(for: warning)
        #expect(!slow.fromCache && slow.cacheKey != readings[0].cacheKey)
    }

    @Test("shared speech keeps to its budget: a reading larger than it is not kept, the least recently asked for leaves first")
    func sharedSpeechBudget() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-speech-budget")
        defer { directory.remove() }
        func commune(_ name: String, _ shared: SharedSpeech) throws -> SpeechSynthesizer {
            SpeechSynthesizer(engine: EspeakNGEngine(), cache: try SpeechCache(directory: directory.path(name)), shared: shared)
        }
        let tiny = SharedSpeech(byteBudget: 1)
        #expect(try await !commune("a", tiny).speech(for: "Họp thôn lúc 19 giờ.").fromCache)
        #expect(try await !commune("b", tiny).speech(for: "Họp thôn lúc 19 giờ.").fromCache, "not kept: read again")

        let two = SharedSpeech(capacity: 2)
        let first = try commune("c", two), second = try commune("d", two)
        _ = try await first.speech(for: "Một.")
        _ = try await first.speech(for: "Hai.")
        #expect(try await second.speech(for: "Một.").fromCache)  // "Một." now the most recent
        _ = try await first.speech(for: "Ba.")  // "Hai.", asked for least recently, leaves
        #expect(try await !second.speech(for: "Hai.").fromCache)
    }
}
