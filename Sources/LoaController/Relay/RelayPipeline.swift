import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One relay window's pull: ffmpeg reads the first source that plays and sends it,
/// re-encoded as low-bit-rate mono MP3, to the window's Icecast mount, until the window
/// ends. A watchdog restarts it on the next source when ffmpeg exits or makes no progress
/// for `stall` seconds (a stuck upstream); after the last source it starts again at the first.
final class RelayPipeline: Sendable {
    let window: RelayWindow
    private let settings: RelaySettings
    private let password: String
    private let logger: Logger
    /// The running ffmpeg, the source it reads, and when its output last advanced.
    private let state = Mutex<(process: Process?, source: Int, progressAt: Date, outTime: Int)>((nil, 0, .distantPast, -1))
    /// Switches from one source to another so far, for tests and the log.
    let switches = Atomic<Int>(0)

    init(window: RelayWindow, settings: RelaySettings, password: String, logger: Logger) {
        (self.window, self.settings, self.password, self.logger) = (window, settings, password, logger)
    }

    /// The source read now (its index in `window.sources`).
    var currentSource: Int { state.withLock { $0.source } }

    /// Runs until the window's end (plus a moment for the last buffers) or cancellation.
    func run() async {
        var source = 0
        var failuresInRow = 0
        defer { stopProcess() }
        while !Task.isCancelled, Date() < window.endAt.addingTimeInterval(Self.tail) {
            let started = Date()
            let outcome = await runOnce(source: source)
            if Task.isCancelled || Date() >= window.endAt.addingTimeInterval(Self.tail) { return }
            logger.warning("relay source lost; trying the next", metadata: [
                "mount": "\(window.mount)", "source": "\(window.sources[source])", "why": "\(outcome)",
            ])
            // A source that played a while before failing is tried again first after the others.
            failuresInRow = Date().timeIntervalSince(started) > 30 ? 0 : failuresInRow + 1
            source = (source + 1) % window.sources.count
            switches.add(1, ordering: .relaxed)
            // After every source failed in a row, wait a little before the round again.
            if failuresInRow >= window.sources.count {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Runs ffmpeg on one source until it exits or stalls; says which.
    private func runOnce(source: Int) async -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.ffmpegPath)
        process.arguments = arguments(source: window.sources[source])
        let progress = Pipe()
        process.standardOutput = progress
        // ffmpeg's errors only (`-loglevel error`): a few lines, read when it has ended.
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        state.withLock { $0 = (process, source, Date(), -1) }
        progress.fileHandleForReading.readabilityHandler = { handle in
            self.noteProgress(String(decoding: handle.availableData, as: UTF8.self))
        }
        defer {
            progress.fileHandleForReading.readabilityHandler = nil
            try? progress.fileHandleForReading.close()
            try? errors.fileHandleForReading.close()
        }
        /// What ffmpeg said before it ended, for the log.
        func said() -> String {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().suffix(600), as: UTF8.self)
            return text.isEmpty ? "" : ": \(text.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        do {
            try process.run()
        } catch {
            return "ffmpeg did not start: \(error)"
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            if !process.isRunning { return "ffmpeg exited with status \(process.terminationStatus)\(said())" }
            if Date() >= window.endAt.addingTimeInterval(Self.tail) { break }
            let silentFor = Date().timeIntervalSince(state.withLock { $0.progressAt })
            if silentFor > settings.stall {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return "no progress for \(Int(silentFor)) s (stuck)\(said())"
            }
        }
        stopProcess()
        return "stopped"
    }

    /// ffmpeg's `-progress` lines: the output's time moving on is progress.
    private func noteProgress(_ text: String) {
        for line in text.split(separator: "\n") where line.hasPrefix("out_time_us=") {
            guard let time = Int(line.dropFirst("out_time_us=".count)) else { continue }
            state.withLock { if time > $0.outTime { $0.outTime = time; $0.progressAt = Date() } }
        }
    }

    private func stopProcess() {
        let process = state.withLock { state in
            defer { state.process = nil }
            return state.process
        }
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// ffmpeg's arguments: read `source` with small buffers, re-encode to mono MP3 at the
    /// relay's bit rate, send to the mount with the source password.
    func arguments(source: String) -> [String] {
        let target = URL(string: settings.icecastURL)
        let host = target?.host ?? "127.0.0.1"
        let port = target?.port ?? 8000
        return [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1", "-stats_period", "0.5",
            "-fflags", "+nobuffer", "-probesize", "8192", "-analyzeduration", "500000",
            "-rw_timeout", "\(Int(settings.stall * 1_000_000))",
        ] + RelayInputFormat.ffmpegArguments(for: source) + [
            "-i", source,
            // Not long past the window even if this controller dies (kill -9) and leaves it
            // orphaned; the 30 s spare covers an upstream's burst, which runs ahead of the clock.
            "-t", String(format: "%.0f", max(1, window.endAt.timeIntervalSinceNow + 30)),
            "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "\(settings.bitrate)k",
            "-flush_packets", "1", "-content_type", "audio/mpeg", "-ice_name", window.programme, "-f", "mp3",
            "icecast://source:\(password)@\(host):\(port)\(window.mount)",
        ]
    }

    /// How long after its window a pull keeps sending (the receivers stop at the end themselves).
    static let tail: TimeInterval = 2
}

/// How ffmpeg is told a source's format.
public enum RelayInputFormat {
    /// The input format named by the source's file extension. An Icecast mount joined
    /// mid-stream starts mid-frame, and ffmpeg's format probing then reads for as long as
    /// its probe size at the stream's own pace (minutes at 64 kbit/s); named, it starts at
    /// once. HLS (`.m3u8`) and unknown extensions are probed.
    public static func ffmpegArguments(for source: String) -> [String] {
        let path = URL(string: source)?.path.lowercased() ?? ""
        if path.hasSuffix(".mp3") { return ["-f", "mp3"] }
        if path.hasSuffix(".aac") || path.hasSuffix(".aacp") { return ["-f", "aac"] }
        if path.hasSuffix(".ogg") || path.hasSuffix(".opus") || path.hasSuffix(".oga") { return ["-f", "ogg"] }
        return []
    }
}
