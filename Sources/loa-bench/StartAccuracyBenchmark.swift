import ArgumentParser
import Foundation
import LoaAudio
import LoaHarness

/// `loa-bench start-accuracy`: scheduled starts through a real-time-paced ALSA
/// device — ALSA's `pulse` PCM to a private PulseAudio null sink — measured
/// with the receivers' own player (`ALSAPlayer.play(_:at:)`).
///
/// The receivers are simulated as players in this process, `--group` of them
/// sharing each instant (each on its own PCM, stream and thread, as separate
/// devices would be), group after group until `--receivers` plays are done.
/// Small groups keep the measure honest on a 2-core machine: real receivers each
/// have a CPU of their own, so a group of 100 here would measure this machine's
/// CPU contention rather than the receivers' accuracy; `--group 100` does that
/// stress case on purpose. One clock serves every player here, so the spread
/// between receivers excludes NTP error between real devices.
struct StartAccuracyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-accuracy",
        abstract: "Start accuracy at a set instant through ALSA's pulse PCM (real-time paced), and the spread between receivers.")

    @Option(help: "Plays in all (simulated receivers)") var receivers = 100
    @Option(help: "Receivers sharing each instant, each with its own PCM and thread") var group = 4
    @Option(help: "Seconds between scheduling a group and its instant (the PCM is opened in this time)") var lead = 1.0
    @Option(help: "Seconds of the chime to play each time") var clipSeconds = 0.5

    struct Play: Encodable {
        var group: Int
        var offsetMs: Double
        var source: String
        var wallMs: Double
        var xruns: Int
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var device: String
        var pulseaudio: String
        var receivers: Int
        var group: Int
        var clipMs: Double
        var plays: Int
        var failures: [String]
        var absoluteOffsetMs: LatencySummary
        var signedOffsetMedianMs: Double
        var spreadMs: LatencySummary
        var startSources: [String: Int]
        var playWallMsMedian: Double
        var xruns: Int
    }

    func run() async throws {
        guard receivers > 0, group > 0, clipSeconds > 0 else { throw ValidationError("give positive numbers") }
        let machine = MachineFacts.current()
        let chime = try AudioDecoder.decode(try sampleAudio("chime.wav"))
        let frames = min(chime.frameCount, Int(clipSeconds * Double(chime.sampleRate)))
        let clip = PCMAudio(
            sampleRate: chime.sampleRate, channels: chime.channels,
            samples: Array(chime.samples.prefix(frames * chime.channels)))

        let pulse: PrivatePulseAudio
        do {
            pulse = try PrivatePulseAudio(rate: clip.sampleRate, channels: clip.channels)
        } catch {
            print(BenchOutput.commandLine)
            print("NOT MEASURED: PulseAudio cannot run here: \(error)")
            print("The file PCM figure (not clock-paced) is `loa-bench start-offset`.")
            throw ExitCode(2)
        }
        defer { pulse.stop() }

        var plays: [Play] = []
        var spreads: [Double] = []
        var failures: [String] = []
        let groups = (receivers + group - 1) / group
        for number in 0..<groups {
            let size = min(group, receivers - number * group)
            let instant = Date().addingTimeInterval(lead)
            let results = await withTaskGroup(of: Result<(PlaybackReport, Double), any Error>.self) { tasks in
                for index in 0..<size {
                    tasks.addTask {
                        let player = ALSAPlayer(output: pulse.output(name: "loa_pulse_\(index)"))
                        let began = ContinuousClock.now
                        do {
                            let report = try await player.play(clip, at: instant)
                            return .success((report, BenchOutput.milliseconds(ContinuousClock.now - began)))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var all: [Result<(PlaybackReport, Double), any Error>] = []
                for await result in tasks { all.append(result) }
                return all
            }
            var starts: [Double] = []
            for result in results {
                switch result {
                case .success(let (report, wall)):
                    let offset = report.measuredStart.timeIntervalSince(instant) * 1000
                    starts.append(offset)
                    plays.append(Play(
                        group: number, offsetMs: offset, source: report.startSource.rawValue, wallMs: wall,
                        xruns: report.xrunsRecovered))
                case .failure(let error):
                    failures.append("\(error)")
                }
            }
            if starts.count > 1 { spreads.append(starts.max()! - starts.min()!) }
            if number == 0, starts.isEmpty {
                print(BenchOutput.commandLine)
                print("NOT MEASURED: the pulse PCM does not play: \(failures.first ?? "no result")")
                throw ExitCode(2)
            }
        }

        var sources: [String: Int] = [:]
        for play in plays { sources[play.source, default: 0] += 1 }
        let signed = plays.map(\.offsetMs).sorted()
        let output = Output(
            command: BenchOutput.commandLine, machine: machine,
            device: "ALSA pulse PCM → PulseAudio null sink (\(clip.sampleRate) Hz, \(clip.channels) ch)",
            pulseaudio: Self.pulseVersion(), receivers: receivers, group: group,
            clipMs: Double(frames) * 1000 / Double(clip.sampleRate), plays: plays.count, failures: Array(failures.prefix(5)),
            absoluteOffsetMs: LatencySummary(plays.map { abs($0.offsetMs) }),
            signedOffsetMedianMs: LatencySummary.percentile(signed, 50), spreadMs: LatencySummary(spreads),
            startSources: sources, playWallMsMedian: LatencySummary.percentile(plays.map(\.wallMs).sorted(), 50),
            xruns: plays.map(\.xruns).reduce(0, +))

        print(output.command)
        print(BenchOutput.machineLine(machine))
        print("output: \(output.device), \(output.pulseaudio); each receiver its own PCM, stream and thread")
        print(String(format: "plays: %d of %d (%d failed), %d groups of %d sharing an instant, clip %.0f ms, %.1f s lead",
                     output.plays, receivers, failures.count, groups, group, output.clipMs, lead))
        print("measured start: ALSA trigger timestamp (or system clock) + prefilled silence, as `started` events report it")
        print("")
        print("figure (ms)                          p50      p90      p99      max")
        func row(_ name: String, _ s: LatencySummary) -> String {
            name.padding(toLength: 33, withPad: " ", startingAt: 0)
                + String(format: "%8.3f %8.3f %8.3f %8.3f", s.p50, s.p90, s.p99, s.max)
        }
        print(row("|measured start − set instant|", output.absoluteOffsetMs))
        print(row("spread in a group (max − min)", output.spreadMs))
        print("")
        print(String(format: "signed offset median %.3f ms (positive = late); start sources: %@; xruns %d",
                     output.signedOffsetMedianMs, sources.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", "),
                     output.xruns))
        print(String(format: "real-time check: play() of a %.0f ms clip took %.0f ms (median, from the call %.1f s ahead of the instant)",
                     output.clipMs, output.playWallMsMedian, lead))
        for failure in failures.prefix(3) { print("failure: \(failure)") }
        print(try BenchOutput.jsonLine(output))
    }

    static func pulseVersion() -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pulseaudio")
        process.arguments = ["--version"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "pulseaudio" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
