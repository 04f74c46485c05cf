import ArgumentParser
import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHTTP
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness

#if canImport(Glibc)
import Glibc
#endif

/// `loa-bench receiver-footprint`: resident memory and CPU of the real
/// `loa receiver` process, idle, while playing a 3-minute MP3 and while relaying a
/// live stream, side by side with snapclient (Debian's snapcast) connected to a
/// local snapserver.
///
/// The controller and broker run in this process (`Commune` from LoaHarness);
/// only the receiver's process (and snapclient's) is sampled, once a second,
/// from /proc/PID/status (VmRSS) and /proc/PID/stat (utime + stime). Audio goes
/// to a private PulseAudio null sink through ALSA's pulse PCM, so playback is
/// paced in real time; with `--output file` (or when PulseAudio cannot run)
/// the receiver plays into ALSA's file PCM, which is not paced, and "while
/// playing" lasts only as long as decoding and writing take.
struct ReceiverFootprintBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver-footprint",
        abstract: "RSS and CPU of one receiver (loa-receiver) idle, relaying and playing an MP3 (3 or 60 minutes), beside snapclient.")

    @Option(help: "Seconds to sample while idle") var idleSeconds = 60.0
    @Option(help: "Length of the MP3 to play, seconds") var mp3Seconds = 180.0
    @Option(help: "Seconds to sample while playing at most (the MP3's length when absent)") var playSeconds: Double?
    @Option(help: "pulse (real-time, PulseAudio null sink) or file (ALSA file PCM, not paced)") var output = "pulse"
    @Flag(help: "Do not run snapclient beside it") var noSnapclient = false
    @Option(help: "snapclient's player with --output pulse: pulse (native libpulse) or alsa (through the same ALSA pulse PCM as the receiver)")
    var snapclientPlayer = "pulse"
    @Option(help: "The receiver's binary beside this one: loa-receiver (the device's own) or loa (everything, as 'loa receiver'); or a path, such as the device build of deploy/debian/build-receiver-deb.sh (.build-static/release/loa-receiver)")
    var receiver = "loa-receiver"
    @Option(help: "Seconds to sample while the receiver relays a live stream after the MP3 (0: no relay)") var relaySeconds = 60.0
    @Option(help: "Hold the receiver to this many MiB in a memory cgroup, as a small board (or MemoryMax= in its unit) would; needs root")
    var memoryLimitMib: Int?
    @Flag(help: "Give the receiver a notice board and, while idle, ask its page server for the page once and /board.json once a second (the kiosk's page asks every 30 s)")
    var board = false

    /// What one process used during one window.
    struct Window: Encodable {
        var process: String
        var state: String
        var seconds: Double
        var samples: Int
        var rssMiBMedian: Double
        var rssMiBMax: Double
        /// The largest anonymous part of the RSS (heap and stacks, not mapped files).
        var anonymousMiBMax: Double
        /// The pages touched during the window (its working set; nil without root): what
        /// the process needs resident, where RSS also counts code pages mapped around them.
        var workingSetMiB: Double?
        var cpuSeconds: Double
        var cpuPercent: Double
        var threads: Int
        /// Page faults that read from disk during the window (code dropped under a memory limit and needed again).
        var majorFaults: Int
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var audio: String
        var mp3Seconds: Double
        var mp3Bytes: Int
        var windows: [Window]
        var receiverStartOffsetMs: Double?
        var snapclient: String
        /// The memory cgroup's limit and what it saw, with `--memory-limit-mib`.
        var memoryLimitMiB: Int?
        var memoryPeakMiB: Double?
        var oomKills: Int?
        var notes: [String]
    }

    func run() async throws {
        let machine = MachineFacts.current()
        var notes: [String] = []
        let loa = receiver.contains("/") ? URL(fileURLWithPath: receiver).standardizedFileURL.path : try BenchOutput.siblingExecutable(receiver)
        let asLoa = URL(fileURLWithPath: loa).lastPathComponent == "loa"
        let work = try TemporaryDirectory(prefix: "loa-footprint")
        defer { work.remove() }
        print("making a \(Int(mp3Seconds)) s MP3…")
        let mp3 = try Self.makeMP3(seconds: mp3Seconds, in: work)
        let mp3Data = try Data(contentsOf: mp3)

        var pulse: PrivatePulseAudio?
        if output == "pulse" {
            do {
                pulse = try PrivatePulseAudio(rate: 44_100, channels: 2)
            } catch {
                notes.append("PulseAudio could not run (\(error)); the receiver used the file PCM")
            }
        }
        defer { pulse?.stop() }

        // With a relay (docs/relay.md) when the relay is measured too.
        let rig = relaySeconds > 0 ? try await RelayRig() : nil
        let commune: Commune
        if let rig { commune = rig.commune } else { commune = try await Commune() }
        var configuration = try commune.receiverConfiguration("loa-footprint", hamlet: "thon-a")
        let boardPort = board ? try MosquittoBroker.freePort() : nil
        if let boardPort { configuration.board = BoardSettings(port: boardPort, communeName: "Xã thử nghiệm", hamletName: "Thôn A") }
        let audioLabel: String
        if let pulse {
            let alsaFile = commune.directory.path("loa-footprint-pulse.asoundrc")
            try pulse.alsaConfiguration(name: "loa_pulse").write(to: alsaFile, atomically: true, encoding: .utf8)
            configuration.audio = .init(device: "loa_pulse", alsaConfigFile: alsaFile.path)
            audioLabel = "ALSA pulse PCM → PulseAudio null sink (real-time)"
        } else {
            audioLabel = "ALSA file PCM with a null slave (NOT real-time: plays as fast as it decodes and writes)"
        }
        let configFile = commune.directory.path("loa-footprint.json")
        try WireCoding.encode(configuration).write(to: configFile)
        let log = work.path("receiver.log").path
        let cage = try memoryLimitMib.map { try MemoryCage(limitMiB: $0) }
        if cage != nil, !MemoryCage.dropPageCache() {
            notes.append("the page cache could not be dropped: pages of the receiver's binary already cached are not charged to its memory cgroup")
        }
        let command = (executable: loa, arguments: (asLoa ? ["receiver"] : []) + ["--config", configFile.path])
        let caged = cage?.command(command.executable, command.arguments) ?? command
        let receiver = try ChildProcess.spawn(caged.executable, caged.arguments, log: log)
        defer {
            ChildProcess.stop(receiver)
            cage?.remove()
        }

        // Snapclient beside it, connected to a local snapserver fed by a FIFO.
        var snap: Snapcast?
        if !noSnapclient {
            do {
                snap = try Snapcast(directory: work, pulseServer: pulse?.server, throughALSA: snapclientPlayer == "alsa")
            } catch {
                notes.append("snapclient not measured: \(error)")
            }
        }
        defer { snap?.stop() }

        // Wait until the receiver says it is online.
        let onlineDeadline = ContinuousClock.now + .seconds(30)
        while try await !commune.controller.store.devices().contains(where: { $0.device == "loa-footprint" && $0.status == .online }) {
            guard ContinuousClock.now < onlineDeadline, ChildProcess.exitStatus(receiver) == nil else {
                let status = ChildProcess.exitStatus(receiver).map { "exited with status \($0)" } ?? "still running"
                let said = (try? String(contentsOfFile: log, encoding: .utf8)).map { $0.split(separator: "\n").suffix(15).joined(separator: "\n") } ?? ""
                throw ValidationError("the receiver did not come online (\(status)); the end of its log:\n\(said)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(2))  // let start-up settle

        var processes: [(name: String, pid: Int32)] = [(URL(fileURLWithPath: loa).lastPathComponent, receiver)]
        if let snap { processes.append(("snapclient", snap.client)) }

        print("sampling idle for \(idleSeconds) s\(board ? ", a kiosk asking the board" : "")…")
        let kiosk = boardPort.map { port in Task { await Self.askLikeAKiosk(port: port) } }
        var windows = try await Self.sample(processes, state: board ? "idle, board asked 1/s" : "idle", seconds: idleSeconds) { false }
        kiosk?.cancel()
        if let asked = await kiosk?.value {
            notes.append("the board answered \(asked.answered) requests while idle, \(asked.failed) failed or were not 200")
        }

        // Relay a live stream first, so that its memory is seen before a file's decoding grows the process.
        if relaySeconds > 0 {
            windows += try await sampleRelay(receiver: processes[0], commune: commune, notes: &notes)
        }

        // Play: announce the MP3 a few seconds ahead (the receiver fetches and decodes it
        // first), feed snapserver the same audio, sample until the receiver finishes.
        let lead = 6.0
        // Uploaded first: the controller decodes it whole once and measures its levelling gain.
        let uploading = ContinuousClock.now
        let media = try await commune.controller.media.addAudio(mp3Data)
        notes.append(String(format: "the controller took %.1f s to take the MP3 (decode and measure its levelling gain, once)",
                            BenchOutput.milliseconds(ContinuousClock.now - uploading) / 1000))
        let startAt = Date().addingTimeInterval(lead)
        let announcement = try await commune.announce(media: media, to: ["thon-a"], at: startAt, title: "Bản tin phát thử")
        let item = "\(announcement.id)@thon-a"
        print("announced the MP3 at +\(lead) s; sampling the fetch and decode, then the playing…")
        windows += try await Self.sample([processes[0]], state: "fetch+decode (before the instant)", seconds: lead - 0.5) { false }
        try snap?.play(mp3)
        let window = playSeconds ?? (mp3Seconds + 2)
        let store = commune.controller.store
        windows += try await Self.sample(processes, state: "playing", seconds: window) {
            (try? await store.events(item: item).contains { $0.kind == .finished || $0.kind == .failed }) ?? false
        }
        if let snap, !snap.streamPlayed() {
            windows.removeAll { $0.process == "snapclient" && $0.state == "playing" }
            notes.append("snapclient's stream never started playing (its feeder failed?): its 'playing' window is left out")
        }
        let events = try await store.events(item: item)
        let started = events.first { $0.kind == .started }
        if let failed = events.first(where: { $0.kind == .failed }) {
            notes.append("the receiver reported failed: \(failed.reason ?? "?")")
        }
        if let status = ChildProcess.exitStatus(receiver) {
            notes.append("the receiver exited (status \(status)) before the end; its log: \(log)")
        }
        if pulse == nil {
            notes.append("file PCM: the 'playing' window ends when the receiver reports finished, long before \(Int(mp3Seconds)) s")
        }

        let result = Output(
            command: BenchOutput.commandLine, machine: machine, audio: audioLabel, mp3Seconds: mp3Seconds,
            mp3Bytes: mp3Data.count, windows: windows, receiverStartOffsetMs: started?.startOffsetMs,
            snapclient: snap.map { _ in Snapcast.version() } ?? "not run", memoryLimitMiB: memoryLimitMib, memoryPeakMiB: cage?.peakMiB,
            oomKills: cage?.oomKills, notes: notes)
        print("")
        print(result.command)
        print(BenchOutput.machineLine(machine))
        print("receiver: \(loa) (release), audio: \(audioLabel); controller and broker in the bench process (not sampled)")
        print("snapclient: \(result.snapclient)\(snap.map { ", --player \($0.player), to a local snapserver (flac)" } ?? "")")
        print(String(format: "MP3: %.0f s, %d bytes (64 kbit/s mono, from Audio/thong-bao-mau.wav looped)", mp3Seconds, mp3Data.count))
        print("")
        if let cage, let limit = memoryLimitMib {
            print(String(format: "memory cgroup: limit %d MiB, peak %.1f MiB, OOM kills %d (%@)", limit, cage.peakMiB ?? -1, cage.oomKills ?? -1, cage.directory))
        }
        print("process       state                                seconds  samples  RSS MiB med  RSS MiB max  anon MiB max  touched MiB  CPU s   CPU %  threads  major faults")
        for w in windows {
            let touched = w.workingSetMiB.map { String(format: "%.1f", $0) } ?? "-"
            print(w.process.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
                + w.state.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: " %7.1f  %7d  %11.1f  %11.1f  %12.1f  ", w.seconds, w.samples, w.rssMiBMedian, w.rssMiBMax, w.anonymousMiBMax)
                + String(repeating: " ", count: max(0, 11 - touched.count)) + touched
                + String(format: "  %5.2f  %6.2f  %7d  %12d", w.cpuSeconds, w.cpuPercent, w.threads, w.majorFaults))
        }
        if let offset = started?.startOffsetMs { print(String(format: "receiver's start offset for the MP3: %.1f ms", offset)) }
        for note in notes { print("note: \(note)") }
        print(try BenchOutput.jsonLine(result))
        await commune.stop()
        rig?.icecast.stop()
    }

    /// Asks the board's page server for its page, then for `/board.json` once a second
    /// until cancelled: the answers that were 200, and the others.
    static func askLikeAKiosk(port: Int) async -> (answered: Int, failed: Int) {
        let client = HTTPClient(connectTimeout: .seconds(2), idleTimeout: .seconds(5))
        var answered = 0
        var failed = 0
        var path = "/"
        while !Task.isCancelled {
            if let answer = try? await client.get("http://127.0.0.1:\(port)\(path)", bodyLimit: 1 << 20), answer.status == 200 {
                answered += 1
            } else if !Task.isCancelled {
                failed += 1
            }
            path = "/board.json"
            try? await Task.sleep(for: .seconds(1))
        }
        return (answered, failed)
    }

    /// Relays a live stream to the receiver (an upstream station of pink noise, 64 kbit/s,
    /// re-served by the controller's relay at 48 kbit/s mono) and samples it while it plays.
    func sampleRelay(receiver: (name: String, pid: Int32), commune: Commune, notes: inout [String]) async throws -> [Window] {
        let upstream = try IcecastServer()
        let station = try UpstreamStation(icecast: upstream, mount: "/vov1.mp3", lavfi: "anoisesrc=color=pink:seed=3:sample_rate=44100")
        defer {
            station.kill()
            upstream.stop()
        }
        let instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded(.down))
        let change = try await commune.controller.programmes.applySchedule(
            try RelaySchedule.once(relaying: [station.url], at: instant, seconds: Int(relaySeconds) + 10), sourceFiles: [:], by: "can-bo-vh")
        try await commune.controller.programmes.approve(version: change.version, programmeIDs: nil, by: "chu-tich")
        guard let document = try await commune.controller.store.latestZoneDocument(zone: "thon-a"),
            let item = try WireCoding.decode(ZoneSchedule.self, from: document).items.first(where: { $0.stream != nil })
        else { throw ValidationError("no relay item was dispatched") }
        print("relay at \(WireCoding.format(instant)); sampling \(Int(relaySeconds)) s of relaying once it sounds…")
        _ = try await commune.waitForEvents(item: item.id, kind: .started, from: ["loa-footprint"], within: .seconds(30))
        let store = commune.controller.store
        let windows = try await Self.sample([receiver], state: "relaying (MP3 stream, 48 kbit/s)", seconds: relaySeconds) {
            (try? await store.events(item: item.id).contains { [.interrupted, .failed].contains($0.kind) }) ?? false
        }
        if let gap = try await store.events(item: item.id).first(where: { [.interrupted, .failed].contains($0.kind) }) {
            notes.append("the relay was \(gap.kind.rawValue): \(gap.reason ?? "?")")
        }
        return windows
    }

    /// Samples each process once a second for `seconds` or until `done`.
    static func sample(
        _ processes: [(name: String, pid: Int32)], state: String, seconds: Double, until done: @Sendable () async -> Bool
    ) async throws -> [Window] {
        let start = ContinuousClock.now
        let cpuStart = processes.map { ProcessSample.cpuSeconds(pid: $0.pid) ?? 0 }
        let faultsStart = processes.map { ProcessSample.majorFaults(pid: $0.pid) ?? 0 }
        let watched = processes.map { ProcessSample.clearReferenced(pid: $0.pid) }
        var rss: [[Double]] = processes.map { _ in [] }
        var anonymous = processes.map { _ in 0.0 }
        var threads = processes.map { _ in 0 }
        func take() {
            for (index, process) in processes.enumerated() {
                if let kib = ProcessSample.residentKiB(pid: process.pid) { rss[index].append(Double(kib) / 1024) }
                if let kib = ProcessSample.anonymousKiB(pid: process.pid) { anonymous[index] = max(anonymous[index], Double(kib) / 1024) }
                threads[index] = max(threads[index], ProcessSample.threads(pid: process.pid) ?? 0)
            }
        }
        take()
        while (ContinuousClock.now - start).seconds < seconds, await !done() {
            try await Task.sleep(for: .milliseconds(min(1000, max(50, Int64((seconds - (ContinuousClock.now - start).seconds) * 1000)))))
            take()
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let workingSets = processes.enumerated().map { index, process in
            watched[index] ? ProcessSample.referencedKiB(pid: process.pid).map { Double($0) / 1024 } : nil
        }
        return processes.enumerated().map { index, process in
            let cpu = (ProcessSample.cpuSeconds(pid: process.pid) ?? cpuStart[index]) - cpuStart[index]
            let sorted = rss[index].sorted()
            return Window(
                process: process.name, state: state, seconds: elapsed, samples: sorted.count,
                rssMiBMedian: LatencySummary.percentile(sorted, 50), rssMiBMax: sorted.last ?? 0, anonymousMiBMax: anonymous[index],
                workingSetMiB: workingSets[index],
                cpuSeconds: cpu, cpuPercent: cpu / max(elapsed, 0.001) * 100, threads: threads[index],
                majorFaults: (ProcessSample.majorFaults(pid: process.pid) ?? faultsStart[index]) - faultsStart[index])
        }
    }

    /// Loops Audio/thong-bao-mau.wav to `seconds` and encodes it with lame (64 kbit/s).
    static func makeMP3(seconds: Double, in directory: TemporaryDirectory) throws -> URL {
        for tool in ["/usr/bin/sox", "/usr/bin/lame"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw ValidationError("\(tool) is missing (apt-get install sox lame)")
        }
        let source = directory.path("sample.wav")
        try sampleAudio("thong-bao-mau.wav").write(to: source)
        let looped = directory.path("looped.wav")
        let mp3 = directory.path("three-minutes.mp3")
        let repeats = Int((seconds / 7.0).rounded(.up))
        try run("/usr/bin/sox", [source.path, "-r", "44100", looped.path, "repeat", "\(repeats)", "trim", "0", "\(seconds)"])
        try run("/usr/bin/lame", ["--quiet", "-b", "64", looped.path, mp3.path])
        return mp3
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

/// A local snapserver fed from a FIFO and one snapclient connected to it.
final class Snapcast {
    let server: Int32
    let client: Int32
    let fifo: URL
    let player: String
    private let directory: TemporaryDirectory
    private var feeder: Int32?

    /// With `throughALSA` (and a PulseAudio), snapclient plays through ALSA's `pulse` PCM
    /// (`--player alsa --soundcard pulse`), the plugin the receiver plays through;
    /// otherwise to PulseAudio natively, or to a file.
    init(directory: TemporaryDirectory, pulseServer: String?, throughALSA: Bool = false) throws {
        for tool in ["/usr/bin/snapserver", "/usr/bin/snapclient"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw PulseError("\(tool) is missing (apt-get install snapserver snapclient)")
        }
        self.directory = directory
        fifo = directory.path("snapfifo")
        guard mkfifo(fifo.path, 0o600) == 0 else { throw PulseError("mkfifo \(fifo.path) failed: errno \(errno)") }
        let config = directory.path("snapserver.conf")
        try "".write(to: config, atomically: true, encoding: .utf8)
        let streamPort = try MosquittoBroker.freePort()
        let data = directory.path("snapserver-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        server = try ChildProcess.spawn(
            "/usr/bin/snapserver",
            [
                "-c", config.path, "--server.datadir=\(data.path)", "--http.enabled=false", "--tcp.enabled=false",
                "--stream.bind_to_address=127.0.0.1", "--stream.port=\(streamPort)",
                "--stream.source=pipe://\(fifo.path)?name=default&sampleformat=44100:16:2", "--logging.sink=stderr",
            ],
            log: directory.path("snapserver.log").path)
        usleep(500_000)
        if let status = ChildProcess.exitStatus(server) { throw PulseError("snapserver exited with status \(status)") }
        var environment = ProcessInfo.processInfo.environment
        if let pulseServer { environment["PULSE_SERVER"] = pulseServer }
        var soundcard: [String] = []
        if throughALSA, pulseServer != nil {
            // Debian's `pulse` PCM (libasound2-plugins) follows PULSE_SERVER to the private server.
            soundcard = ["--soundcard", "pulse"]
            player = "alsa"
        } else {
            player = pulseServer == nil ? "file" : "pulse"
        }
        client = try ChildProcess.spawn(
            "/usr/bin/snapclient",
            ["-h", "127.0.0.1", "-p", "\(streamPort)", "--player", player] + soundcard + ["--hostID", "loa-bench", "--logsink", "stderr"],
            environment: environment, log: directory.path("snapclient.log").path)
        usleep(1_000_000)
        if let status = ChildProcess.exitStatus(client) {
            let text = (try? String(contentsOf: directory.path("snapclient.log"), encoding: .utf8)) ?? ""
            ChildProcess.stop(server)
            throw PulseError("snapclient exited with status \(status): \(text.suffix(400))")
        }
    }

    /// Feeds the FIFO with `audio` as raw 44.1 kHz 16-bit stereo (snapserver reads it at
    /// real-time pace). ffmpeg, not sox: Debian's sox reads no MP3 without libsox-fmt-mp3,
    /// and a feeder that fails leaves snapclient idle while it is "measured playing".
    func play(_ audio: URL) throws {
        feeder = try ChildProcess.spawn(
            "/usr/bin/ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", audio.path, "-f", "s16le", "-ar", "44100", "-ac", "2", fifo.path],
            log: directory.path("snapfeeder.log").path)
    }

    /// Whether snapserver's stream went from idle to playing (audio reached snapclient).
    func streamPlayed() -> Bool {
        let log = (try? String(contentsOf: directory.path("snapserver.log"), encoding: .utf8)) ?? ""
        return log.contains("=> playing")
    }

    func stop() {
        if let feeder { ChildProcess.stop(feeder) }
        ChildProcess.stop(client)
        ChildProcess.stop(server)
    }

    static func version() -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/snapclient")
        process.arguments = ["--version"]
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return "snapclient" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.map(String.init) ?? "snapclient"
    }
}
