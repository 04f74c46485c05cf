import ArgumentParser
import Foundation
import LoaAudio
import LoaHarness

/// `loa-bench proof-of-sound`: the speaker self-test's detection on a real capture path
/// (a PulseAudio null sink as the speaker, its monitor as the microphone, room noise added
/// at the microphone): true and false detections over many trials with the sound present
/// and absent (the sink muted), at each noise level.
struct ProofOfSoundBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof-of-sound",
        abstract: "Detections of the test chirp through PulseAudio's null sink and its monitor: present, absent (muted), under noise.")

    @Option(help: "Trials per condition (sound present, sound absent) and noise level") var trials = 100
    @Option(help: "Room noise RMS levels, fractions of full scale, comma-separated (the chirp's RMS is 0.35)")
    var noiseLevels = "0.35,1.0"

    struct Condition: Encodable {
        var noiseRMS: Double
        var soundPresent: Bool
        var trials: Int
        var heard: Int
        var scoreMedian: Double
        var snrDbMedian: Double
    }

    struct Summary: Encodable {
        var command: String
        var machine: MachineFacts
        var path: String
        var thresholds: String
        var conditions: [Condition]
    }

    func run() async throws {
        let levels = noiseLevels.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard trials > 0, !levels.isEmpty else { throw ValidationError("give trials > 0 and at least one noise level") }
        let machine = MachineFacts.current()
        let chirp = TestChirp.make()
        let pulse = try PrivatePulseAudio(rate: chirp.sampleRate, channels: 1, monitored: true)
        defer { pulse.stop() }
        var conditions: [Condition] = []
        var seed: UInt64 = 0
        for level in levels {
            for present in [true, false] {
                try await pulse.mute(!present)
                var scores: [Double] = [], snrs: [Double] = []
                var heard = 0
                for trial in 0..<trials {
                    seed += 1
                    let noise = SoundTrial.noise(seconds: 1.6, sampleRate: 16_000, level: level, seed: seed)
                    let match = try await SoundTrial.run(
                        pulse, sound: chirp, roomNoise: noise, recordSeconds: 1.6, lead: 0.5, name: "t\(trial % 4)")
                    if SpeakerCheck.judge(match) == .heard { heard += 1 }
                    scores.append(match?.score ?? 0)
                    snrs.append(match?.snrDb ?? 0)
                }
                conditions.append(Condition(
                    noiseRMS: level, soundPresent: present, trials: trials, heard: heard,
                    scoreMedian: LatencySummary.percentile(scores.sorted(), 50), snrDbMedian: LatencySummary.percentile(snrs.sorted(), 50)))
            }
        }
        try await pulse.mute(false)
        let summary = Summary(
            command: BenchOutput.commandLine, machine: machine,
            path: "ALSA pulse PCM → PulseAudio null sink (the speaker); its monitor through ALSA pulse capture at 16 kHz (the microphone); white room noise added to the recording",
            thresholds: "heard: peak normalised correlation ≥ \(SpeakerCheck.minimumScore) and ≥ \(SpeakerCheck.minimumSnrDb) dB above the rest",
            conditions: conditions)
        print(summary.command)
        print(BenchOutput.machineLine(machine))
        print("path: \(summary.path)")
        print("chirp: 0.6 s, 700–3500 Hz, RMS 0.35 of full scale; \(summary.thresholds)")
        print("")
        print("noise RMS   sound     trials   heard   not heard   score p50   SNR p50 (dB)")
        for condition in conditions {
            print(String(
                format: "%9.2f   %-7@ %8d %7d %11d %11.3f %14.1f", condition.noiseRMS, condition.soundPresent ? "present" : "absent",
                condition.trials, condition.heard, condition.trials - condition.heard, condition.scoreMedian, condition.snrDbMedian))
        }
        print(try BenchOutput.jsonLine(summary))
    }
}
