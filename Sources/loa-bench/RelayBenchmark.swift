import ArgumentParser
import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore

/// `loa-bench relay`: a relay of live radio on real parts, measured.
///
/// An upstream Icecast carries two stations (ffmpeg sending pink noise, each its own
/// seed: "VOV" and the province). The controller relays them (ffmpeg → its Icecast,
/// listeners checked) to a real receiver in this process, which plays to a PulseAudio
/// null sink. Beside it, with the same player code: a listener of the upstream itself,
/// and a listener of a plain Icecast relay (Icecast's own `<relay>` of the upstream mount,
/// its default 64 KiB burst). Each plays to a null sink of its own; the three monitors
/// are recorded together, and where a stretch of the upstream listener's sound lies in
/// the others (normalised cross-correlation) gives each relay's delay behind the upstream.
/// Then the station on air is killed, again and again: the time from its death to the
/// receiver's `resumed` (sound again from the next source) is the failover time.
struct RelayBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay delay behind the upstream (Loa vs a plain Icecast relay) and failover time after an upstream's death.")

    @Option(help: "Upstream deaths to recover from (each station killed in turn, then restarted)") var failovers = 5
    @Option(help: "Seconds of sound recorded from the three listeners for the delay") var recordSeconds = 24.0

    struct Summary: Encodable {
        var command: String
        var machine: MachineFacts
        var delayLoaSeconds: Double?
        var delayPlainIcecastSeconds: Double?
        var matchScoreLoa: Double?
        var matchScorePlain: Double?
        var failoverSeconds: LatencySummary
        var failoverSamples: [Double]
        var notes: [String]
    }

    func run() async throws {
        let machine = MachineFacts.current()
        var notes: [String] = []
        let upstream = try IcecastServer()
        var stations = [
            try UpstreamStation(icecast: upstream, mount: "/vov1.mp3", lavfi: "anoisesrc=color=pink:seed=11:sample_rate=44100"),
            try UpstreamStation(icecast: upstream, mount: "/tinh.mp3", lavfi: "anoisesrc=color=pink:seed=12:sample_rate=44100"),
        ]
        let mounts = ["/vov1.mp3", "/tinh.mp3"]
        let plain = try IcecastServer { $0.relays = [("127.0.0.1", upstream.port, "/vov1.mp3", "/plain.mp3")]; $0.burstBytes = 65_536 }
        let rig = try await RelayRig()
        let commune = rig.commune
        let pulses = try (0..<3).map { _ in try PrivatePulseAudio(rate: 24_000, channels: 1, monitored: true) }
        let alsa = commune.directory.path("loa-bench-relay.asoundrc")
        try pulses[0].alsaConfiguration(name: "loa_relay").write(to: alsa, atomically: true, encoding: .utf8)
        let receiver = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: { $0.audio = .init(device: "loa_relay", alsaConfigFile: alsa.path) })
        receiver.start()

        let windowSeconds = Int(recordSeconds) + 20 + failovers * 12
        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(
            try RelaySchedule.once(relaying: stations.map(\.url), at: instant, seconds: windowSeconds), sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")
        let item = try require(try await commune.controller.store.latestZoneDocument(zone: "thon-a").map {
            try WireCoding.decode(ZoneSchedule.self, from: $0).items.first { $0.stream != nil }
        } ?? nil, "no relay item was dispatched")
        print("relay window: \(windowSeconds) s from \(WireCoding.format(instant))")

        // 1. Delay: the upstream's own listener, the Loa receiver and the plain relay's listener, recorded together.
        // (Icecast's own relay is on air a second after it starts; the Loa relay, at the window's start.)
        _ = try await commune.waitForEvents(item: item.id, kind: .started, from: ["loa-a1"], within: .seconds(30))
        let until = Date().addingTimeInterval(Double(windowSeconds))
        let directPlayer = ALSAPlayer(output: pulses[1].output(name: "loa_direct")), directURL = stations[0].url
        let plainPlayer = ALSAPlayer(output: pulses[2].output(name: "loa_plain")), plainURL = "\(plain.url)/plain.mp3"
        let direct = Task { try await directPlayer.playStream(AudioStreamRequest(url: directURL), from: nil, until: until) }
        // A player that plays what the relay sends from the start of its burst, as a plain one does.
        let plainListener = Task { try await plainPlayer.playStream(AudioStreamRequest(url: plainURL), from: nil, until: until, prebuffer: 8) }
        try await Task.sleep(for: .seconds(3))
        let recordings = try await withThrowingTaskGroup(of: (Int, Recording).self) { group in
            for (index, pulse) in pulses.enumerated() {
                group.addTask { (index, try await ALSAMicrophone(input: pulse.microphone(name: "loa_mic_\(index)")).record(seconds: recordSeconds)) }
            }
            var all: [Int: Recording] = [:]
            for try await (index, recording) in group { all[index] = recording }
            return all
        }
        for (name, listener) in [("upstream", direct), ("plain relay", plainListener)] {
            listener.cancel()
            if case .failure(let error) = await listener.result, !(error is CancellationError) {
                notes.append("the \(name) listener: \(error)")
            }
        }
        let reference = try require(recordings[1], "the upstream listener recorded nothing")
        // Two seconds of the upstream listener's sound, from its sixth second.
        let from = 6 * reference.audio.sampleRate
        let stretch = PCMAudio(
            sampleRate: reference.audio.sampleRate, channels: 1,
            samples: Array(reference.audio.samples[from..<min(reference.audio.samples.count, from + 2 * reference.audio.sampleRate)]))
        func delay(_ index: Int) -> (seconds: Double, score: Double)? {
            guard let recording = recordings[index], let match = SoundMatch.find(stretch, in: recording.audio), match.score > 0.3 else { return nil }
            let heard = recording.startedAt.addingTimeInterval(match.lagSeconds)
            return (heard.timeIntervalSince(reference.startedAt.addingTimeInterval(6)), match.score)
        }
        let loa = delay(0), plainDelay = delay(2)
        if loa == nil { notes.append("the upstream's stretch was not found in the Loa receiver's sound") }
        if plainDelay == nil { notes.append("the upstream's stretch was not found in the plain relay's sound (longer than the recording?)") }

        // 2. Failover: kill the station on air; sound again from the other.
        var samples: [Double] = []
        var onAir = 0
        for round in 1...failovers {
            let killedAt = Date()
            stations[onAir].kill()
            // The round's `resumed`: the first measured after the death.
            var back: Date?
            for _ in 0..<200 where back == nil {
                try await Task.sleep(for: .milliseconds(100))
                back = try await commune.controller.store.events(item: item.id)
                    .filter { $0.kind == .resumed }.compactMap(\.measuredStartAt).filter { $0 > killedAt }.min()
            }
            if let back {
                samples.append(back.timeIntervalSince(killedAt))
            } else {
                notes.append("round \(round): no sound again within 20 s of the station's death")
            }
            // The dead station comes back on air; the next death is the other one's.
            stations[onAir] = try UpstreamStation(
                icecast: upstream, mount: mounts[onAir], lavfi: "anoisesrc=color=pink:seed=\(11 + onAir):sample_rate=44100")
            onAir = 1 - onAir
            try await Task.sleep(for: .seconds(6))
        }
        await receiver.stop()
        await rig.stop()
        plain.stop()
        upstream.stop()
        for pulse in pulses { pulse.stop() }

        let summary = Summary(
            command: BenchOutput.commandLine, machine: machine, delayLoaSeconds: loa?.seconds, delayPlainIcecastSeconds: plainDelay?.seconds,
            matchScoreLoa: loa?.score, matchScorePlain: plainDelay?.score, failoverSeconds: LatencySummary(samples.map { $0 * 1000 }),
            failoverSamples: samples, notes: notes)
        print(summary.command)
        print(BenchOutput.machineLine(machine))
        print("upstream: Icecast on loopback, ffmpeg pink noise, MP3 64 kbit/s; listeners: ALSA pulse PCM → PulseAudio null sinks, 1 s prebuffer")
        print("")
        print(String(format: "delay behind the upstream's own listener, Loa relay (ffmpeg → Icecast, 8 KiB burst):  %@",
                     loa.map { String(format: "%.2f s (match %.2f)", $0.seconds, $0.score) } ?? "—"))
        print(String(format: "delay behind the upstream's own listener, plain Icecast <relay> (64 KiB burst):     %@",
                     plainDelay.map { String(format: "%.2f s (match %.2f)", $0.seconds, $0.score) } ?? "—"))
        print(String(format: "failover, upstream death → sound again (%d deaths): p50 %.2f s, max %.2f s",
                     samples.count, (summary.failoverSeconds.p50) / 1000, (summary.failoverSeconds.max) / 1000))
        for note in notes { print("note: \(note)") }
        print(try BenchOutput.jsonLine(summary))
    }
}

/// The value, or a validation error naming what is missing.
private func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw ValidationError(message) }
    return value
}
