import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real Mosquitto broker on a free loopback port, started for one test.
public final class MosquittoBroker: Sendable {
    /// The loopback port it listens on.
    public let port: Int
    /// The directory holding its config, persistence and log; removed with the broker
    /// when the broker made it.
    public let directory: TemporaryDirectory
    private let ownsDirectory: Bool
    private let pid: Mutex<Int32>
    private let configurationFile: URL

    /// Starts `mosquitto` with a loopback listener and the extra config lines given,
    /// and returns once it accepts TCP connections.
    /// - Parameters:
    ///   - configuration: lines appended to the generated mosquitto.conf
    ///     (the default allows anonymous clients, as a test broker on loopback may).
    ///   - port: a port to reuse (to restart a broker where it was); a free one when nil.
    public init(configuration: String = "allow_anonymous true", port: Int? = nil, directory: TemporaryDirectory? = nil) throws {
        self.directory = try directory ?? TemporaryDirectory(prefix: "loa-mosquitto")
        ownsDirectory = directory == nil
        let conf = self.directory.path("mosquitto.conf")
        configurationFile = conf
        // A free port can be taken by another test between choosing it and the broker
        // binding it; then the broker exits at once, and another port is chosen.
        var attempt = 1
        while true {
            let chosen = try port ?? Self.freePort()
            try Self.configuration(port: chosen, directory: self.directory, extra: configuration).write(to: conf, atomically: true, encoding: .utf8)
            do {
                let started = try Self.start(configuration: conf, port: chosen)
                self.port = chosen
                pid = Mutex(started)
                return
            } catch BrokerError.exited(let status) where port == nil && attempt < 5 {
                let said = (try? String(contentsOf: self.directory.path("mosquitto.log"), encoding: .utf8)) ?? ""
                guard said.contains("Address already in use") else { throw BrokerError.exited(status: status) }
                attempt += 1
                try? FileManager.default.removeItem(at: self.directory.path("mosquitto.log"))
            }
        }
    }

    private static func configuration(port: Int, directory: TemporaryDirectory, extra: String) -> String {
        // As root, mosquitto would switch to its own user and could not write here.
        """
        user \(getuid() == 0 ? "root" : NSUserName())
        listener \(port) 127.0.0.1
        persistence true
        persistence_location \(directory.url.path)/
        log_dest file \(directory.url.path)/mosquitto.log
        log_type all
        \(extra)

        """
    }

    deinit {
        pid.withLock { ChildProcess.stop($0) }
        if ownsDirectory { directory.remove() }
    }

    /// Starts mosquitto again on the same port with the same persistence (after `stop()`).
    public func restart() throws {
        try pid.withLock { pid in
            ChildProcess.stop(pid)
            pid = try Self.start(configuration: configurationFile, port: port)
        }
    }

    private static func start(configuration: URL, port: Int) throws -> Int32 {
        let log = configuration.deletingLastPathComponent().appendingPathComponent("mosquitto.log")
        let opened = "Opening ipv4 listen socket on port \(port)."
        let openedBefore = occurrences(of: opened, in: log)
        // A broker told to log nothing (the benchmarks' many clients) is known by its port alone.
        let logs = (try? String(contentsOf: configuration, encoding: .utf8))?.contains("log_dest none") != true
        let pid = try ChildProcess.spawn(try executable(), ["-c", configuration.path])
        do {
            try waitForListener(port: port, pid: pid, opened: { !logs || occurrences(of: opened, in: log) > openedBefore })
        } catch {
            ChildProcess.stop(pid)
            throw error
        }
        return pid
    }

    /// The broker's process id (to signal it, e.g. SIGHUP to reload its password and ACL files).
    public var processID: Int32 { pid.withLock { $0 } }

    /// Stops the broker (SIGTERM) and waits for it to exit; persistence is written.
    public func stop() { pid.withLock { ChildProcess.stop($0) } }

    /// The broker's log so far, for failure messages.
    public func log() -> String {
        (try? String(contentsOf: directory.path("mosquitto.log"), encoding: .utf8)) ?? ""
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() throws -> Int {
        guard let port = LoopbackPort.free() else { throw BrokerError.noFreePort }
        return port
    }

    private static func executable() throws -> String {
        for candidate in ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw BrokerError.notInstalled
    }

    /// Waits until this broker listens: the port takes connections and its log says it
    /// opened the port (once more than before it started: a restarted broker appends to
    /// the same log). The port alone could be another process's: a port chosen free, or
    /// given up by `stop()` before `restart()`, can be taken by another test first, and the
    /// broker then exits (`Address already in use`) while the port still answers; its
    /// clients would talk to the other test's server.
    private static func waitForListener(port: Int, pid: Int32, opened: () -> Bool) throws {
        for _ in 0..<200 {
            if let status = ChildProcess.exitStatus(pid) { throw BrokerError.exited(status: status) }
            if LoopbackPort.accepts(port), opened() { return }
            usleep(20_000)
        }
        throw BrokerError.notListening(port: port)
    }

    /// How many lines of the log at `url` hold `text`.
    private static func occurrences(of text: String, in url: URL) -> Int {
        guard let log = try? String(contentsOf: url, encoding: .utf8) else { return 0 }
        return log.split(separator: "\n").count { $0.contains(text) }
    }

    /// Why a test broker could not start.
    public enum BrokerError: Error, CustomStringConvertible {
        case notInstalled, noFreePort
        case exited(status: Int32)
        case notListening(port: Int)

        public var description: String {
            switch self {
            case .notInstalled: "mosquitto is not installed (apt-get install mosquitto)"
            case .noFreePort: "no free loopback port"
            case .exited(let status): "mosquitto exited with status \(status); see its log"
            case .notListening(let port): "mosquitto did not listen on 127.0.0.1:\(port) within 4 s"
            }
        }
    }
}
