import Foundation
import LoaFiles

#if canImport(Glibc)
import Glibc
#endif

/// Child processes started with `posix_spawn` and reaped with `waitpid`, so a
/// test knows for certain when one has exited.
public enum ChildProcess {
    /// Starts `path` with `arguments`, its output discarded unless `log` names a file.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String]? = nil, log: String? = nil) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let output = log ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process's: a server started beside an ALSA pipe's writer
        // would otherwise hold that pipe open for as long as it runs.
        SpawnedChildDescriptors.closeAll(from: 3, in: &actions)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        // Threads of the Swift runtime block signals, and libmosquitto ignores SIGPIPE:
        // a child would inherit both and then ignore SIGTERM. Give it a clean slate.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, env)
        guard rc == 0 else { throw SpawnError(path: path, code: rc) }
        return pid
    }

    /// Runs `path` to its end (output discarded) and returns its exit code.
    public static func run(_ path: String, _ arguments: [String]) async throws -> Int32 {
        let status = await ended(try spawn(path, arguments))
        return (status >> 8) & 0xFF
    }

    /// Waits for the process to end and reaps it, on a thread of its own (a test holding
    /// a thread of the cooperative pool for a child's seconds stalls every other test of
    /// the process): its wait status (`waitpid`'s), or -1 when it is not this process's
    /// child to wait for (reaped already).
    public static func ended(_ pid: Int32) async -> Int32 {
        await SpawnedChildExit.status(of: pid, threadName: "loa-test-waitpid") ?? -1
    }

    /// The exit status if the process has ended (and reaps it), nil while it runs.
    public static func exitStatus(_ pid: Int32) -> Int32? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        if rc == pid { return status }
        if rc < 0 { return -1 }
        return nil
    }

    /// Sends `signal`, waits up to `grace` for the exit, then SIGKILLs. Safe to call twice.
    public static func stop(_ pid: Int32, signal: Int32? = nil, grace: Duration = .seconds(5)) {
        guard kill(pid, 0) == 0, exitStatus(pid) == nil else { return }
        kill(pid, signal ?? SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if exitStatus(pid) != nil { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Why a process could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public let path: String
        public let code: Int32
        public var description: String { "cannot start \(path): \(String(cString: strerror(code)))" }
    }
}
