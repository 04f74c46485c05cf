import ArgumentParser
import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore

/// `loa-bench late-media`: audio over a hamlet's slow 4G link that breaks mid-download.
/// A real controller, broker and receiver (in this process; the receiver's speaker an
/// ALSA file PCM); the receiver reaches the controller's HTTP through `DelayingProxy`
/// (a bandwidth cap, delay ± jitter each way, the media connection cut part way).
///
/// Each round (a commune of its own): (1) an item announced well ahead: the time from the document's arrival
/// (`received`) to `ready`, and the bytes that crossed the link against the file's
/// size (a download that restarted from zero would cross it twice); (2) another item
/// announced only `lead` seconds ahead, too late for its whole file: how far from its
/// instant it starts (playing while it downloads, chunk by chunk), and how late waiting
/// for the whole file would have started it.
struct LateMediaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "late-media",
        abstract: "Media over a slow link cut mid-download: document to ready, bytes fetched, and a late item's start while it downloads.")

    @Option(help: "Rounds (each with new audio and a new receiver)") var rounds = 3
    @Option(help: "Size of each item's audio, kB (WAV, 16 kHz mono: 32 kB a second)") var kilobytes = 1000
    @Option(help: "Downlink of the link, kbit/s") var kbps = 1000.0
    @Option(help: "One-way delay of the link, ms") var delayMs = 100.0
    @Option(help: "Jitter of the one-way delay, ± ms") var jitterMs = 50.0
    @Option(help: "The media connection is cut once this share of the file went down it") var cutAt = 0.5
    @Option(help: "Seconds between announcing the late item and its instant") var leadSeconds = 3.0

    struct Round: Encodable {
        var readyAfterDocumentMs: Double
        var bytesOverLink: Int
        var fileBytes: Int
        var lateStartOffsetMs: Double?
        var lateReady: String?
        var latePlayedMs: Int?
        var wholeFileWouldStartLateByMs: Double
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var link: String
        var rounds: [Round]
    }

    func run() async throws {
        guard rounds > 0, kilobytes >= 100, kbps > 0, delayMs >= jitterMs, (0.05...0.95).contains(cutAt) else {
            throw ValidationError("give at least a round, 100 kB, a positive rate, a delay not below its jitter and a cut between 0.05 and 0.95")
        }
        let machine = MachineFacts.current()
        let bytesPerSecond = Int(kbps * 1000 / 8)
        var results: [Round] = []
        for round in 0..<rounds {
            // A commune of its own each round: a receiver of the same hamlet would fetch the
            // items of the rounds before as well, over the same link.
            let commune = try await Commune()
            let seconds = Double(kilobytes * 1000) / 32_000
            // New bytes each round (another pitch), so nothing is cached from the last.
            let ahead = WAVFile.bytes(of: halfScaleTone(seconds: seconds, frequency: 300 + 40 * Double(round)))
            let late = WAVFile.bytes(of: halfScaleTone(seconds: seconds, frequency: 320 + 40 * Double(round)))
            let cut = Int(Double(ahead.count) * cutAt)
            // Connections in order: the chunk list, then the media (cut part way), then its resumption.
            let proxy = try DelayingProxy(
                forwardingTo: commune.httpPort, oneWayDelayMs: (delayMs - jitterMs)...(delayMs + jitterMs),
                downlinkBytesPerSecond: bytesPerSecond, cutConnectionsAfterBytes: [Int.max, cut, Int.max, Int.max, cut])
            defer { proxy.stop() }
            let device = "loa-late-\(round)"
            let receiver = try commune.receiver(device, hamlet: "thon-a", adjust: {
                $0.mediaBaseURL = "http://127.0.0.1:\(proxy.port)"
                $0.clockSyncSeconds = 0  // the link carries media only, so its connections are the ones counted
            })
            receiver.start()

            // 1. Ahead of time.
            let first = try await commune.announce(ahead, to: ["thon-a"], at: Date().addingTimeInterval(600), title: "Sớm \(round)")
            let firstItem = "\(first.id)@thon-a"
            let ready = try await Self.event(.ready, of: firstItem, from: device, in: commune, within: 120)
            let received = try await Self.event(.received, of: firstItem, from: device, in: commune, within: 1)
            let readyAfter = ready.at.timeIntervalSince(received.at) * 1000
            let bytes = proxy.downlinkBytes

            // 2. Too late for the whole file.
            let instant = Date().addingTimeInterval(leadSeconds)
            let second = try await commune.announce(late, to: ["thon-a"], at: instant, title: "Muộn \(round)")
            let secondItem = "\(second.id)@thon-a"
            let started = try? await Self.event(.started, of: secondItem, from: device, in: commune, within: 60)
            let lateReady = try? await Self.event(.ready, of: secondItem, from: device, in: commune, within: 1)
            let finished = try? await Self.event(.finished, of: secondItem, from: device, in: commune, within: 120)
            let secondReceived = try? await Self.event(.received, of: secondItem, from: device, in: commune, within: 1)
            let wholeFileAt = (secondReceived?.at ?? instant).addingTimeInterval(readyAfter / 1000)
            results.append(Round(
                readyAfterDocumentMs: readyAfter, bytesOverLink: bytes, fileBytes: ahead.count,
                lateStartOffsetMs: started?.startOffsetMs, lateReady: lateReady?.reason ?? lateReady.map { _ in "ready (whole file)" },
                latePlayedMs: finished?.playedMs, wholeFileWouldStartLateByMs: wholeFileAt.timeIntervalSince(instant) * 1000))
            await receiver.stop()
            await commune.stop()
        }

        let output = Output(
            command: BenchOutput.commandLine, machine: machine,
            link: String(format: "%.0f kbit/s down, one-way %.0f ± %.0f ms each way; the media connection cut at %.0f %% of the file",
                         kbps, delayMs, jitterMs, cutAt * 100),
            rounds: results)
        print(output.command)
        print(BenchOutput.machineLine(machine))
        print("link: \(output.link); \(kilobytes) kB WAV per item; late item announced \(leadSeconds) s ahead (grace 5 s)")
        print("")
        print("round  document→ready  bytes over link / file   late item: start offset   whole file would start   late played")
        for (index, round) in results.enumerated() {
            print(String(format: "%5d  %11.0f ms  %9d / %-9d (%.3f×)   %17@   %17.0f ms   %@",
                         index + 1, round.readyAfterDocumentMs, round.bytesOverLink, round.fileBytes,
                         Double(round.bytesOverLink) / Double(round.fileBytes),
                         round.lateStartOffsetMs.map { String(format: "%+.1f ms", $0) } ?? "did not start",
                         round.wholeFileWouldStartLateByMs,
                         round.latePlayedMs.map { "\($0) ms" } ?? "not finished"))
        }
        let readies = results.map(\.readyAfterDocumentMs).sorted()
        print(String(format: "document→ready median %.0f ms; late starts within 100 ms of the instant: %d of %d",
                     readies[readies.count / 2], results.filter { abs($0.lateStartOffsetMs ?? .infinity) < 100 }.count, results.count))
        print(try BenchOutput.jsonLine(output))
    }

    /// The receiver's event of `kind` for `item`, as the controller stored it.
    static func event(
        _ kind: DeviceEvent.Kind, of item: String, from device: String, in commune: Commune, within seconds: Double
    ) async throws -> DeviceEvent {
        let events = try await commune.waitForEvents(item: item, kind: kind, from: [device], within: .seconds(seconds))
        guard let event = events.first(where: { $0.device == device }) else {
            throw ValidationError("no \(kind) event for \(item) from \(device) within \(Int(seconds)) s")
        }
        return event
    }
}
