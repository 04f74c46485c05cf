import ArgumentParser
import Foundation
import LoaAudio
import LoaController
import LoaHarness
import LoaProtocol
import LoaReceiver

/// `loa-bench speakers-in-step`: receivers whose own clocks are off by up to ± `skew`
/// reach the controller over a 4G-like link (one-way delay ± jitter, each way) and sound
/// at one instant through ALSA; the spread of the true starts between receivers, with the
/// clock correction every receiver makes (`ClockSampler`, `SyncedClock`) and without it.
struct SpeakersInStepBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakers-in-step",
        abstract: "Spread of start times between receivers with off clocks over a jittery link, with and without clock correction.")

    @Option(help: "Receivers sounding together") var receivers = 5
    @Option(help: "Rounds: each measures every clock afresh, then sounds once corrected and once not") var rounds = 30
    @Option(help: "One-way delay of the link, ms") var delayMs = 100.0
    @Option(help: "Jitter of the one-way delay, ± ms (uniform)") var jitterMs = 50.0
    @Option(help: "Receivers' clocks are off by up to ± this many ms") var skewMs = 500.0
    @Option(help: "Output: pulse (ALSA pulse PCM to a PulseAudio null sink, paced like a card) or file") var output = "pulse"

    struct Summary: Encodable {
        var command: String
        var machine: MachineFacts
        var output: String
        var receivers: Int
        var rounds: Int
        var link: String
        var spreadCorrectedMs: LatencySummary
        var spreadUncorrectedMs: LatencySummary
        var errorCorrectedMs: LatencySummary
        var estimateErrorMs: LatencySummary
        var reportedUncertaintyMs: LatencySummary
        var outputLatencyMs: LatencySummary
    }

    func run() async throws {
        guard receivers > 1, rounds > 0, delayMs > jitterMs, jitterMs >= 0 else {
            throw ValidationError("give at least 2 receivers, 1 round, and a delay larger than its jitter")
        }
        let machine = MachineFacts.current()
        let chime = try AudioDecoder.decode(try sampleAudio("chime.wav"))
        let clip = PCMAudio(
            sampleRate: chime.sampleRate, channels: chime.channels,
            samples: Array(chime.samples.prefix(chime.sampleRate / 5 * chime.channels)))
        let commune = try await Commune()
        let link = try DelayingProxy(forwardingTo: commune.httpPort, oneWayDelayMs: (delayMs - jitterMs)...(delayMs + jitterMs))
        let pulse = output == "pulse" ? try PrivatePulseAudio(rate: clip.sampleRate, channels: clip.channels) : nil
        let files = try TemporaryDirectory(prefix: "loa-bench-step")
        defer {
            link.stop()
            pulse?.stop()
            files.remove()
        }
        var generator = SeededGenerator(seed: 19)
        let devices: [SimulatedDevice] = (0..<receivers).map { index in
            let skew = Double.random(in: -skewMs...skewMs, using: &generator) / 1000
            let local = ReadingClock { Date().addingTimeInterval(skew) }
            let name = "loa_step_\(index)"
            let alsa = pulse?.output(name: name) ?? ALSAFilePCM.output(writingTo: files.path("\(name).wav"), name: name)
            let id = "loa-step-\(index)"
            let time = HTTPControllerTimeSource(
                baseURL: URL(string: "http://127.0.0.1:\(link.port)")!, device: id, token: commune.controller.mediaAccess.token(for: id))
            return SimulatedDevice(
                skew: skew, local: local, synced: SyncedClock(local: local), sampler: ClockSampler(source: time, clock: local),
                speaker: ClockedSpeaker(ALSAPlayer(output: alsa), clock: local))
        }

        // The null sink stands for the devices' cards, which run all the time: one silent
        // stream keeps it running between rounds. Left idle for the seconds a round's clock
        // exchanges take on a jittery link, PulseAudio lets the sink's latency grow, and the
        // first stream after reads ~47 ms of it at its start, which no card does.
        let keepRunning = PlaybackStop()
        let running = pulse.map { pulse in
            Task { _ = try? await ALSAPlayer(output: pulse.output(name: "loa_step_keep")).play(Silence(clip), stop: keepRunning) }
        }
        defer {
            keepRunning.stop()
            running?.cancel()
        }

        var corrected: [Double] = [], uncorrected: [Double] = [], errors: [Double] = []
        var estimateErrors: [Double] = [], uncertainties: [Double] = [], latencies: [Double] = []
        for _ in 0..<rounds {
            let estimates = await withTaskGroup(of: (Int, ClockOffsetEstimate?).self) { group in
                for (index, device) in devices.enumerated() { group.addTask { (index, await device.sampler.estimate().estimate) } }
                var all: [Int: ClockOffsetEstimate] = [:]
                for await (index, estimate) in group { all[index] = estimate }
                return all
            }
            for (index, device) in devices.enumerated() {
                guard let estimate = estimates[index] else { throw ValidationError("receiver \(index) could not read the controller's clock") }
                device.synced.adopt(estimate)
                estimateErrors.append(abs(estimate.offsetMs - device.skew * 1000))
                uncertainties.append(estimate.uncertaintyMs)
            }
            let instant = Date().addingTimeInterval(1)
            let starts = try await withThrowingTaskGroup(of: (corrected: Date, uncorrected: Date, latency: Double).self) { group in
                for device in devices {
                    group.addTask {
                        let fixed = try await device.speaker.play(clip, at: device.synced.localInstant(for: instant), stop: nil, observe: nil)
                        let plain = try await device.speaker.play(clip, at: instant.addingTimeInterval(2), stop: nil, observe: nil)
                        // The true time: the device's own reading less its clock's error.
                        return (fixed.measuredStart.addingTimeInterval(-device.skew),
                                plain.measuredStart.addingTimeInterval(-device.skew - 2), fixed.outputLatency)
                    }
                }
                var all: [(corrected: Date, uncorrected: Date, latency: Double)] = []
                for try await start in group { all.append(start) }
                return all
            }
            let fixed = starts.map(\.corrected), plain = starts.map(\.uncorrected)
            corrected.append(fixed.max()!.timeIntervalSince(fixed.min()!) * 1000)
            uncorrected.append(plain.max()!.timeIntervalSince(plain.min()!) * 1000)
            BenchOutput.progress(String(format: "round %d of %d: spread %.2f ms corrected, %.2f ms not", corrected.count, rounds,
                                        corrected.last!, uncorrected.last!))
            errors += fixed.map { abs($0.timeIntervalSince(instant)) * 1000 }
            latencies += starts.map { $0.latency * 1000 }
        }
        await commune.stop()

        let summary = Summary(
            command: BenchOutput.commandLine, machine: machine,
            output: pulse == nil ? "ALSA file PCM (not paced)" : "ALSA pulse PCM → PulseAudio null sink, one stream per receiver",
            receivers: receivers, rounds: rounds,
            link: String(format: "one-way %.0f ± %.0f ms each way (uniform), a delaying TCP relay on loopback", delayMs, jitterMs),
            spreadCorrectedMs: LatencySummary(corrected), spreadUncorrectedMs: LatencySummary(uncorrected),
            errorCorrectedMs: LatencySummary(errors), estimateErrorMs: LatencySummary(estimateErrors),
            reportedUncertaintyMs: LatencySummary(uncertainties), outputLatencyMs: LatencySummary(latencies))
        print(summary.command)
        print(BenchOutput.machineLine(machine))
        print("output: \(summary.output); link: \(summary.link)")
        print(String(format: "%d receivers, clocks off by up to ±%.0f ms; %d rounds, each: 16 exchanges per receiver (48 on a jittery link), then one start corrected and one not; a silent stream keeps the sink running", receivers, skewMs, rounds))
        print("")
        print("figure (ms)                                 p50      p90      p99      max")
        func row(_ name: String, _ s: LatencySummary) -> String {
            name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%8.2f %8.2f %8.2f %8.2f", s.p50, s.p90, s.p99, s.max)
        }
        print(row("spread of starts, corrected clocks", summary.spreadCorrectedMs))
        print(row("spread of starts, uncorrected", summary.spreadUncorrectedMs))
        print(row("|start − instant|, corrected", summary.errorCorrectedMs))
        print(row("|estimated − true clock offset|", summary.estimateErrorMs))
        print(row("reported uncertainty", summary.reportedUncertaintyMs))
        print(row("output latency beyond the buffer", summary.outputLatencyMs))
        // Whether the sound server's readings at a start agree, or fall in two groups.
        print(String(format: "output latency readings: %d of %d under 10 ms, %d from 10 to 40 ms, %d over 40 ms",
                     latencies.filter { $0 < 10 }.count, latencies.count, latencies.filter { (10...40).contains($0) }.count,
                     latencies.filter { $0 > 40 }.count))
        print(try BenchOutput.jsonLine(summary))
    }
}

/// One simulated receiver of the benchmark: its own clock, corrected clock, sampler and speaker.
private struct SimulatedDevice: Sendable {
    var skew: TimeInterval
    var local: ReadingClock
    var synced: SyncedClock
    var sampler: ClockSampler
    var speaker: ClockedSpeaker
}

/// Silence in the format of `like`, for as long as it is read.
private struct Silence: PCMSource {
    let sampleRate: Int
    let channels: Int
    var duration: Duration { .seconds(86_400) }

    init(_ like: PCMAudio) {
        sampleRate = like.sampleRate
        channels = like.channels
    }

    func openReader() throws -> any PCMReader { Reader(channels: channels) }

    final class Reader: PCMReader {
        let channels: Int
        init(channels: Int) { self.channels = channels }

        func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int {
            buffer = [Int16](repeating: 0, count: maxFrames * channels)
            return maxFrames
        }
    }
}
