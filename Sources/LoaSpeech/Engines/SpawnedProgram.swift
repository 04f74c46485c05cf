import Foundation
import LoaFiles

#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn`, its standard input, output and error on file
/// descriptors of the caller's, every other descriptor closed in the child.
///
/// Not `Foundation.Process`: on Linux its `run()` crashed (a `memcpy` past a mapping)
/// in a controller serving 200 communes, each reading the province's warning aloud at
/// once, whether the launches ran together or one at a time.
struct SpawnedProgram: Sendable {
    let pid: pid_t

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `executable` with `arguments`, its standard input, output and error on `input`, `output` and `errors`.
    static func start(_ executable: String, _ arguments: [String], input: Int32, output: Int32, errors: Int32) throws -> SpawnedProgram {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (from, to) in [(input, STDIN_FILENO), (output, STDOUT_FILENO), (errors, STDERR_FILENO)] {
            posix_spawn_file_actions_adddup2(&actions, from, to)
        }
        // The controller's sockets and files are none of the engine's business.
        SpawnedChildDescriptors.closeAll(from: 3, in: &actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw SpawnError(description: "posix_spawn \(executable): \(String(cString: strerror(status)))") }
        return SpawnedProgram(pid: pid)
    }

    /// How it ended: its exit status, or the signal that killed it.
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case killed(signal: Int32)
    }

    /// Waits for it to end, on a thread of its own (`waitpid` blocks).
    func ended() async -> Ending {
        guard let status = await SpawnedChildExit.status(of: pid, threadName: "loa-speech-wait") else { return .killed(signal: 0) }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}
