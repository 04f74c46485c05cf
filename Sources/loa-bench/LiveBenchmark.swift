import ArgumentParser
import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore

/// `loa-bench live`: mouth-to-speaker latency of a live session, through the whole path.
///
/// The "mouth" is pink noise played into a PulseAudio null sink; `loa live` (the real CLI,
/// built beside this executable) reads that sink's monitor through ALSA with ffmpeg and
/// sends it to the controller, which puts it on its relay's Icecast; a real receiver plays
/// it to a second null sink. Both monitors are recorded together; where stretches of the
/// mouth's sound lie in the speaker's recording (normalised cross-correlation) gives the
/// latency. The figure is the median over the stretches.
struct LiveBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live", abstract: "Mouth-to-speaker latency of `loa live` through the controller, its relay and a receiver.")

    @Option(help: "Seconds of the session recorded") var recordSeconds = 12.0

    struct Summary: Encodable {
        var command: String
        var machine: MachineFacts
        var latencySeconds: [Double]
        var latencyMedianSeconds: Double?
        var prebufferMs: Int
        var notes: [String]
    }

    func run() async throws {
        let machine = MachineFacts.current()
        var notes: [String] = []
        let loa = try BenchOutput.siblingExecutable("loa")
        let mouth = try PrivatePulseAudio(rate: 24_000, channels: 1, sink: "mic", monitored: true)
        let speaker = try PrivatePulseAudio(rate: 24_000, channels: 1, sink: "loa", monitored: true)
        let rig = try await RelayRig()
        let commune = rig.commune
        let tokenFile = try await rig.leaderReadyToSpeak()
        let microphoneConfig = commune.directory.path("microphone.asoundrc")
        try mouth.microphone(name: "loa_mic").configuration!.write(to: microphoneConfig, atomically: true, encoding: .utf8)
        let speakerConfig = commune.directory.path("speaker.asoundrc")
        try speaker.alsaConfiguration(name: "loa_speaker").write(to: speakerConfig, atomically: true, encoding: .utf8)
        let receiver = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: {
            $0.audio = .init(device: "loa_speaker", alsaConfigFile: speakerConfig.path)
        })
        receiver.start()

        let seconds = Int(recordSeconds) + 12
        let noise = SoundTrial.noise(seconds: Double(seconds + 4), sampleRate: 24_000, level: 0.3, seed: 5)
        let speaking = Task { try await ALSAPlayer(output: mouth.output(name: "loa_mouth")).play(noise) }
        let live = try ChildProcess.spawn(loa, [
            "live", "--controller", "http://127.0.0.1:\(commune.httpPort)", "--token-file", tokenFile.path, "--title", "Đo độ trễ",
            "--hamlets", "thon-a", "--device", "loa_mic", "--alsa-config", microphoneConfig.path, "--seconds", "\(seconds)",
        ], log: commune.directory.path("loa-live.log").path)
        // Record once the receiver sounds the session.
        var sounding = false
        for _ in 0..<300 where !sounding {
            try await Task.sleep(for: .milliseconds(100))
            sounding = try await commune.controller.store.events(device: "loa-a1").contains { $0.kind == .started }
        }
        if !sounding { notes.append("the receiver never started the live session") }
        try await Task.sleep(for: .seconds(1))
        let recordings = try await withThrowingTaskGroup(of: (Int, Recording).self) { group in
            for (index, pulse) in [mouth, speaker].enumerated() {
                group.addTask { (index, try await ALSAMicrophone(input: pulse.microphone(name: "loa_rec_\(index)")).record(seconds: recordSeconds)) }
            }
            var all: [Int: Recording] = [:]
            for try await (index, recording) in group { all[index] = recording }
            return all
        }
        ChildProcess.stop(live, signal: SIGKILL)
        speaking.cancel()
        var latencies: [Double] = []
        if let spoken = recordings[0], let heard = recordings[1] {
            let rate = spoken.audio.sampleRate
            for start in stride(from: 1, to: Int(recordSeconds) - 4, by: 2) {
                let stretch = PCMAudio(sampleRate: rate, channels: 1, samples: Array(spoken.audio.samples[(start * rate)..<((start + 1) * rate)]))
                guard let match = SoundMatch.find(stretch, in: heard.audio), match.score > 0.3 else { continue }
                latencies.append(heard.startedAt.addingTimeInterval(match.lagSeconds).timeIntervalSince(spoken.startedAt.addingTimeInterval(Double(start))))
            }
        }
        if latencies.isEmpty { notes.append("the mouth's sound was not found in the speaker's") }
        await receiver.stop()
        await rig.stop()
        mouth.stop()
        speaker.stop()

        let sorted = latencies.sorted()
        let summary = Summary(
            command: BenchOutput.commandLine, machine: machine, latencySeconds: latencies,
            latencyMedianSeconds: sorted.isEmpty ? nil : sorted[sorted.count / 2], prebufferMs: ItemStream.livePrebufferMs, notes: notes)
        print(summary.command)
        print(BenchOutput.machineLine(machine))
        print("mouth: pink noise into a PulseAudio null sink, read by `loa live` (ALSA → ffmpeg, MP3 48 kbit/s) → controller → Icecast → receiver (prebuffer \(ItemStream.livePrebufferMs) ms) → ALSA pulse PCM → null sink")
        print(String(format: "mouth-to-speaker latency: median %@ over %d stretches (%@)",
                     summary.latencyMedianSeconds.map { String(format: "%.2f s", $0) } ?? "—", latencies.count,
                     latencies.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
        for note in notes { print("note: \(note)") }
        print(try BenchOutput.jsonLine(summary))
    }
}
