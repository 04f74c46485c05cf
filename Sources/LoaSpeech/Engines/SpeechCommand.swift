import Foundation
import LoaFiles

/// Runs a speech program directly (no shell): the text goes to its standard input
/// and the audio comes from its standard output, both through temporary files, so
/// neither side can block on a full pipe. A program that runs longer than `timeout`
/// is killed.
struct SpeechCommand: Sendable {
    var program: String
    var arguments: [String]
    var timeout: Duration = .seconds(120)

    /// The program's standard output for `input`.
    /// - Throws: ``SpeechError`` when it is missing, fails, is killed or times out.
    func run(input: String) async throws -> Data {
        guard let executable = Self.resolve(program) else { throw SpeechError.engineMissing(program: program) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loa-speech-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("text.txt")
        let outputFile = folder.appendingPathComponent("audio.wav")
        let errorFile = folder.appendingPathComponent("errors.txt")
        try Data(input.utf8).write(to: inputFile)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = try FileHandle(forReadingFrom: inputFile)
        let stdout = try FileHandle(forWritingTo: outputFile)
        let stderr = try FileHandle(forWritingTo: errorFile)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr

        let (exits, exited) = AsyncStream.makeStream(of: (Int32, Process.TerminationReason).self)
        process.terminationHandler = { finished in
            exited.yield((finished.terminationStatus, finished.terminationReason))
            exited.finish()
        }
        do {
            try ProcessLaunch.run(process)
        } catch {
            throw SpeechError.engineFailed(program: program, status: -1, message: "\(error)")
        }
        let pid = process.processIdentifier
        let timeout = timeout
        let watchdog = Task { () async -> Bool in
            do { try await Task.sleep(for: timeout) } catch { return false }
            kill(pid, SIGKILL)
            return true
        }
        var iterator = exits.makeAsyncIterator()
        let exit = await iterator.next()
        watchdog.cancel()
        guard let (status, reason) = exit else {
            // The calling task was cancelled: the engine is not needed any more.
            kill(pid, SIGKILL)
            throw CancellationError()
        }
        if await watchdog.value, reason == .uncaughtSignal {
            throw SpeechError.engineTimedOut(program: program, seconds: Int(timeout.components.seconds))
        }
        guard reason == .exit, status == 0 else {
            let message = Self.tail(of: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
            let signal = reason == .exit ? "" : "killed by signal \(status); "
            throw SpeechError.engineFailed(program: program, status: status, message: signal + (message.isEmpty ? "(no message)" : message))
        }
        return try Data(contentsOf: outputFile)
    }

    /// The last few hundred characters of an error output, on one line.
    private static func tail(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.count > 400 ? "…" + line.suffix(400) : line
    }

    /// The executable for `program`: itself when it names a path, else the first match on `PATH`.
    static func resolve(_ program: String) -> URL? {
        let manager = FileManager.default
        if program.contains("/") {
            return manager.isExecutableFile(atPath: program) ? URL(fileURLWithPath: program) : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(program)"
            if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        return nil
    }
}
