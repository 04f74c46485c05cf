import Foundation

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

        let stdin = try FileHandle(forReadingFrom: inputFile)
        let stdout = try FileHandle(forWritingTo: outputFile)
        let stderr = try FileHandle(forWritingTo: errorFile)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        let program: SpawnedProgram
        do {
            program = try SpawnedProgram.start(
                executable.path, arguments, input: stdin.fileDescriptor, output: stdout.fileDescriptor, errors: stderr.fileDescriptor)
        } catch {
            throw SpeechError.engineFailed(program: self.program, status: -1, message: "\(error)")
        }
        let pid = program.pid
        let timeout = timeout
        let watchdog = Task { () async -> Bool in
            do { try await Task.sleep(for: timeout) } catch { return false }
            kill(pid, SIGKILL)
            return true
        }
        let ending = await withTaskCancellationHandler {
            await program.ended()
        } onCancel: {
            // The calling task was cancelled: the engine is not needed any more.
            kill(pid, SIGKILL)
        }
        watchdog.cancel()
        try Task.checkCancellation()
        if await watchdog.value, case .killed = ending {
            throw SpeechError.engineTimedOut(program: self.program, seconds: Int(timeout.components.seconds))
        }
        guard ending == .exited(0) else {
            let message = Self.tail(of: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
            let (status, signal): (Int32, String) = switch ending {
            case .exited(let status): (status, "")
            case .killed(let signal): (signal, "killed by signal \(signal); ")
            }
            throw SpeechError.engineFailed(program: self.program, status: status, message: signal + (message.isEmpty ? "(no message)" : message))
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
