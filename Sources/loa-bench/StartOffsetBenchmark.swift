import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness

/// `loa-bench start-offset`: announcements played end to end (controller →
/// Mosquitto → receivers → ALSA `file` PCM); the distribution of the measured
/// start minus the set instant, as the receivers report it.
struct StartOffsetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-offset",
        abstract: "Start offset of scheduled plays through the full path (ALSA file PCM: not clock-paced).")

    @Option(help: "How many announcements to play") var plays = 20
    @Option(help: "Receivers in the target hamlet") var receivers = 2
    @Option(help: "Seconds between announcing and the instant") var lead = 1.5

    func run() async throws {
        let commune = try await Commune()
        let devices = (1...receivers).map { "bench-\($0)" }
        let running = try devices.map { try commune.receiver($0, hamlet: "thon-a") }
        for receiver in running { receiver.start() }
        let chime = try sampleAudio("chime.wav")
        var offsets: [Double] = []
        for _ in 0..<plays {
            let announcement = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(lead))
            let item = "\(announcement.id)@thon-a"
            let started = try await commune.waitForEvents(item: item, kind: .started, from: Set(devices))
            offsets += started.compactMap(\.startOffsetMs)
        }
        for receiver in running { await receiver.stop() }
        await commune.stop()

        let magnitudes = offsets.map(abs).sorted()
        guard !magnitudes.isEmpty else { throw ValidationError("no play was reported") }
        let median = magnitudes[magnitudes.count / 2]
        let worst = magnitudes.last!
        print("loa-bench start-offset --plays \(plays) --receivers \(receivers)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)")
        print("output: ALSA file PCM (not clock-paced); offset = measured start − set instant")
        print("plays reported: \(offsets.count) of \(plays * receivers)")
        print(String(format: "|offset| median %.2f ms, worst %.2f ms", median, worst))
        print(String(format: "{\"plays\":%d,\"receivers\":%d,\"reported\":%d,\"medianAbsMs\":%.3f,\"worstAbsMs\":%.3f}",
                     plays, receivers, offsets.count, median, worst))
    }
}
