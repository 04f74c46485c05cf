import ArgumentParser
import Foundation
import LoaAudio
import LoaDomain
import LoaSpeech

/// `loa-bench speech`: reading a notice aloud (rules, eSpeak NG, cache) and bringing a
/// minute of speech to −16 LUFS, as the controller and every receiver do.
struct SpeechBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speech", abstract: "Text-to-speech (reading rules, eSpeak NG, cache) and loudness normalisation.")

    @Option(help: "Runs; the median is reported") var runs = 5

    /// A commune notice of the usual length, with numbers, a date, a time, money and a phone number.
    static let notice = """
        UBND xã Bình Giang thông báo: từ 7h30 ngày 25/12/2026 đến 17h ngày 31/12/2026, các hộ gia đình \
        trên địa bàn xã nộp tiền BHYT năm 2027 tại nhà văn hóa thôn. Mức đóng 1.134.000 đồng/người/năm; \
        hộ cận nghèo được hỗ trợ 70%. Mọi thắc mắc xin liên hệ đồng chí Nguyễn Văn An, công chức \
        Văn hóa - Xã hội, số điện thoại 0912 345 678. Đề nghị bà con thực hiện đúng thời gian quy định.
        """

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var noticeCharacters: Int
        var speechSeconds: Double
        var medianReadingRulesSeconds: Double
        var medianSynthesisSeconds: Double
        var medianCachedSeconds: Double
        var normalisedSeconds: Double
        var medianMeasureSeconds: Double
        var medianNormaliseSeconds: Double
        var normalisedLUFS: Double
    }

    func run() async throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        let clock = ContinuousClock()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loa-bench-speech-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        var rules: [Double] = [], synthesis: [Double] = [], cached: [Double] = []
        var speech: Speech?
        for run in 0..<runs {
            var start = clock.now
            _ = VietnameseReading.spoken(Self.notice)
            rules.append((clock.now - start).seconds)
            let synthesizer = SpeechSynthesizer(
                engine: EspeakNGEngine(), cache: try SpeechCache(directory: folder.appendingPathComponent("\(run)")))
            start = clock.now
            speech = try await synthesizer.speech(for: Self.notice)
            synthesis.append((clock.now - start).seconds)
            start = clock.now
            _ = try await synthesizer.speech(for: Self.notice)
            cached.append((clock.now - start).seconds)
        }
        guard let speech else { return }

        // A minute of that speech, as one receiver item.
        var minute = speech.audio
        while minute.duration < .seconds(60) { minute.samples += speech.audio.samples }
        var measure: [Double] = [], normalise: [Double] = []
        var normalised = minute
        for _ in 0..<runs {
            var start = clock.now
            _ = Loudness.integrated(minute)
            measure.append((clock.now - start).seconds)
            start = clock.now
            normalised = LoudnessNormalisation.loudspeakers.apply(to: minute)
            normalise.append((clock.now - start).seconds)
        }

        let command = (["loa-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let output = Output(
            command: command, machine: .current(), noticeCharacters: Self.notice.count,
            speechSeconds: speech.audio.duration.seconds, medianReadingRulesSeconds: PlanBenchmark.median(rules),
            medianSynthesisSeconds: PlanBenchmark.median(synthesis), medianCachedSeconds: PlanBenchmark.median(cached),
            normalisedSeconds: minute.duration.seconds, medianMeasureSeconds: PlanBenchmark.median(measure),
            medianNormaliseSeconds: PlanBenchmark.median(normalise), normalisedLUFS: Loudness.integrated(normalised) ?? -.infinity)
        print(command)
        print("machine: \(output.machine.cpu), \(output.machine.cores) cores, \(output.machine.memoryGB) GB, \(output.machine.os)")
        print("notice: \(output.noticeCharacters) characters → \(String(format: "%.1f", output.speechSeconds)) s of eSpeak NG speech (vi, 22 050 Hz mono)")
        print("")
        print("step                                   median (s)")
        print(String(format: "reading rules (VietnameseReading)      %10.4f", output.medianReadingRulesSeconds))
        print(String(format: "eSpeak NG, not cached (rules included) %10.4f", output.medianSynthesisSeconds))
        print(String(format: "from the cache                         %10.4f", output.medianCachedSeconds))
        print(String(format: "BS.1770-4 measure, %4.0f s of speech    %10.4f", output.normalisedSeconds, output.medianMeasureSeconds))
        print(String(format: "normalise to −16 LUFS, %4.0f s          %10.4f  (result %.2f LUFS)", output.normalisedSeconds,
                     output.medianNormaliseSeconds, output.normalisedLUFS))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}

