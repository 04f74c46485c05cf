import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server (Debian's), started for the tests: `initdb` in a
/// temporary folder with a generated password (SCRAM, no trust), listening on a free
/// loopback port, stopped by PID. PostgreSQL refuses to run as root, so under root
/// it runs as the `postgres` user (`setpriv`), which owns its folder.
public final class PostgresServer: Sendable {
    /// The loopback port it listens on.
    public let port: Int
    /// The superuser the tests connect as, and its generated password.
    public let user = "loa"
    public let password: String
    /// The folder of its cluster, socket and log.
    public let directory: TemporaryDirectory
    private let pid: Mutex<Int32>

    /// Runs `initdb` and starts the server; returns once it accepts connections.
    public init() throws {
        guard let port = LoopbackPort.free() else { throw ServerError.noFreePort }
        self.port = port
        directory = try TemporaryDirectory(prefix: "loa-postgres")
        password = UUID().uuidString
        let cluster = directory.path("cluster").path, log = directory.path("postgres.log").path
        let passwordFile = directory.path("password")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        let owner = try Self.owner()
        if let owner { try Self.give(directory.url.path, passwordFile.path, to: owner) }
        try Self.run(
            owner, try Self.executable("initdb"),
            ["-D", cluster, "-U", user, "--pwfile", passwordFile.path, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C"],
            log: log)
        pid = Mutex(try Self.spawn(
            owner, try Self.executable("postgres"),
            ["-D", cluster, "-p", "\(port)", "-k", directory.url.path, "-c", "listen_addresses=127.0.0.1",
             "-c", "max_connections=200"],
            log: log))
        try waitUntilReady()
    }

    deinit { stop() }

    /// The postmaster's process id (its backends are its children).
    public var processID: Int32 { pid.withLock { $0 } }

    /// Stops the server (SIGINT: fast shutdown) and waits for it to exit.
    public func stop() {
        pid.withLock { ChildProcess.stop($0, signal: SIGINT, grace: .seconds(10)) }
        directory.remove()
    }

    /// The server's log so far, for failure messages.
    public func log() -> String {
        (try? String(contentsOf: directory.path("postgres.log"), encoding: .utf8)) ?? ""
    }

    private func waitUntilReady() throws {
        for _ in 0..<500 {
            if let status = pid.withLock({ ChildProcess.exitStatus($0) }) { throw ServerError.exited(status: status, log: log()) }
            if LoopbackPort.accepts(port), log().contains("ready to accept connections") { return }
            usleep(20_000)
        }
        throw ServerError.notReady(port: port, log: log())
    }

    /// The `postgres` user's ids when this process is root; nil otherwise.
    private static func owner() throws -> (uid: uid_t, gid: gid_t)? {
        guard getuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else { throw ServerError.noPostgresUser }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private static func give(_ paths: String..., to owner: (uid: uid_t, gid: gid_t)) throws {
        for path in paths where chown(path, owner.uid, owner.gid) != 0 {
            throw ServerError.cannotChown(path)
        }
    }

    /// `arguments` for `executable`, as `owner` when given (`setpriv` execs, so the PID is the server's).
    private static func command(_ owner: (uid: uid_t, gid: gid_t)?, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        guard let owner else { return (executable, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=\(owner.uid)", "--regid=\(owner.gid)", "--clear-groups", "--", executable] + arguments)
    }

    private static func spawn(_ owner: (uid: uid_t, gid: gid_t)?, _ executable: String, _ arguments: [String], log: String) throws -> Int32 {
        let (path, argv) = command(owner, executable, arguments)
        // The log is opened by this process, before the switch of user.
        return try ChildProcess.spawn(path, argv, environment: ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"], log: log)
    }

    private static func run(_ owner: (uid: uid_t, gid: gid_t)?, _ executable: String, _ arguments: [String], log: String) throws {
        let pid = try spawn(owner, executable, arguments, log: log)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else {
            throw ServerError.initdbFailed(status: status, log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
    }

    /// Debian installs the server's programs under /usr/lib/postgresql/{version}/bin, off the PATH.
    private static func executable(_ name: String) throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let candidates = versions.sorted { $0.localizedStandardCompare($1) == .orderedDescending }
            .map { "/usr/lib/postgresql/\($0)/bin/\(name)" } + ["/usr/local/bin/\(name)", "/usr/bin/\(name)"]
        guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ServerError.notInstalled
        }
        return found
    }

    /// Why a test server could not start.
    public enum ServerError: Error, CustomStringConvertible {
        case notInstalled, noFreePort, noPostgresUser
        case cannotChown(String)
        case initdbFailed(status: Int32, log: String)
        case exited(status: Int32, log: String)
        case notReady(port: Int, log: String)

        public var description: String {
            switch self {
            case .notInstalled: "PostgreSQL is not installed (apt-get install postgresql)"
            case .noFreePort: "no free loopback port"
            case .noPostgresUser: "running as root, but there is no 'postgres' user to run the server as"
            case .cannotChown(let path): "cannot give \(path) to the postgres user"
            case .initdbFailed(let status, let log): "initdb failed with status \(status):\n\(log)"
            case .exited(let status, let log): "postgres exited with status \(status):\n\(log)"
            case .notReady(let port, let log): "postgres did not accept connections on 127.0.0.1:\(port) within 10 s:\n\(log)"
            }
        }
    }
}
