public import Foundation
public import LoaController
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real Icecast 2 server (Debian's `icecast2`) on a free loopback port, started for one
/// test or benchmark in a temporary folder and stopped by its PID. As root it drops to
/// `nobody`, as Icecast insists.
public final class IcecastServer: Sendable {
    public let port: Int
    public let sourcePassword: String
    public let directory: TemporaryDirectory
    private let pid: Mutex<Int32>

    /// Starts Icecast; listeners are checked at `listenerCheckURL` when given (a controller's
    /// `/relay/listeners`), else any listener is let in (an upstream station).
    /// - Parameters:
    ///   - port: where it listens (chosen ahead when a controller's settings must name it); a free port when nil.
    ///   - sourcePassword: the password sources send with; a random one when nil.
    ///   - configure: changes to the configuration before it is written (a plain relay's defaults, say).
    ///   - webroot: a folder served as static files (an HLS station's), readable by Icecast's user.
    public init(
        port: Int? = nil, sourcePassword: String? = nil, listenerCheckURL: String? = nil, webroot: URL? = nil,
        configure: (inout IcecastConfiguration) -> Void = { _ in }
    ) throws {
        self.port = try port ?? MosquittoBroker.freePort()
        self.sourcePassword = sourcePassword ?? UUID().uuidString
        directory = try TemporaryDirectory(prefix: "loa-icecast", removedAtExit: true)
        let logs = directory.path("log")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot, let nobody = getpwnam("nobody") {
            chown(directory.url.path, nobody.pointee.pw_uid, nobody.pointee.pw_gid)
            chown(logs.path, nobody.pointee.pw_uid, nobody.pointee.pw_gid)
        }
        var configuration = IcecastConfiguration(
            port: self.port, sourcePassword: self.sourcePassword, adminPassword: UUID().uuidString, listenerCheckURL: listenerCheckURL,
            logDirectory: logs.path, runAs: asRoot ? ("nobody", "nogroup") : nil)
        configuration.webroot = webroot?.path
        configure(&configuration)
        let file = directory.path("icecast.xml")
        try configuration.xml.write(to: file, atomically: true, encoding: .utf8)
        guard let executable = ["/usr/bin/icecast2", "/usr/local/bin/icecast2"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            directory.remove()
            throw ServerError("icecast2 is not installed (apt-get install icecast2)")
        }
        let started = try ChildProcess.spawn(executable, ["-c", file.path], log: directory.path("stdout.log").path)
        pid = Mutex(started)
        var problem = "icecast2 did not listen on 127.0.0.1:\(self.port) within 5 s"
        for _ in 0..<250 {
            if let status = ChildProcess.exitStatus(started) {
                problem = "icecast2 exited with status \(status)"
                break
            }
            // Listening, and it is this Icecast (another test's server may have taken the port first).
            if LoopbackPort.accepts(self.port) {
                usleep(200_000)
                // An Icecast that could not bind says so and exits.
                if ChildProcess.exitStatus(started) == nil, !errorLog().contains("listener socket") { return }
                problem = "port \(self.port) is taken by another server; icecast2 could not listen"
                break
            }
            usleep(20_000)
        }
        ChildProcess.stop(started)
        let log = errorLog()
        directory.remove()
        throw ServerError("\(problem): \(log)")
    }

    deinit { stop() }

    /// `http://127.0.0.1:{port}`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Stops it (SIGTERM, then SIGKILL), waits for it to exit and removes its folder.
    public func stop() {
        pid.withLock { ChildProcess.stop($0) }
        directory.remove()
    }

    /// Its error log so far, for failure messages.
    public func errorLog() -> String {
        (try? String(contentsOf: directory.path("log/error.log"), encoding: .utf8)) ?? ""
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

/// An upstream station for relay tests: ffmpeg sending a steady tone (or a file, looped),
/// in real time, as MP3 to an Icecast mount. Stopped (killed) by its PID, like a station
/// that goes off the air.
public final class UpstreamStation: Sendable {
    public let url: String
    private let pid: Mutex<Int32>

    /// Sends a sine of `frequency` Hz to `mount` of `icecast` (say `/vov1.mp3`); returns
    /// once listeners can hear it.
    public convenience init(icecast: IcecastServer, mount: String, frequency: Int) throws {
        try self.init(icecast: icecast, mount: mount, lavfi: "sine=frequency=\(frequency):sample_rate=44100")
    }

    /// Sends what the ffmpeg `lavfi` source describes (say `anoisesrc=color=pink:seed=7`) to
    /// `mount` of `icecast`, at half scale, in real time; returns once listeners can hear it.
    public init(icecast: IcecastServer, mount: String, lavfi: String) throws {
        url = "\(icecast.url)\(mount)"
        let started = try ChildProcess.spawn("/usr/bin/ffmpeg", [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", lavfi,
            "-af", "volume=0.5", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", "-content_type", "audio/mpeg", "-f", "mp3",
            "icecast://source:\(icecast.sourcePassword)@127.0.0.1:\(icecast.port)\(mount)",
        ], log: icecast.directory.path("upstream\(mount.replacingOccurrences(of: "/", with: "-")).log").path)
        pid = Mutex(started)
        // On air once Icecast lists the mount: a GET answers 200.
        for _ in 0..<150 {
            if let status = ChildProcess.exitStatus(started) { throw IcecastServer.ServerError("the upstream ffmpeg exited with status \(status)") }
            if Self.answers(url) { return }
            usleep(20_000)
        }
        ChildProcess.stop(started)
        throw IcecastServer.ServerError("the upstream \(url) did not come on air within 3 s")
    }

    deinit { kill() }

    /// Takes it off the air at once (SIGKILL).
    public func kill() { pid.withLock { ChildProcess.stop($0, signal: SIGKILL, grace: .seconds(2)) } }

    /// Whether a GET of `url` answers 200 (its status line only).
    private static func answers(_ url: String) -> Bool {
        firstBytes(of: url)?.prefix(20).contains(" 200") ?? false
    }

    /// The first bytes of the answer to a GET of `url` (its head), or nil when none came.
    static func firstBytes(of url: String) -> String? {
        guard let components = URLComponents(string: url), let port = components.port else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let request = "GET \(components.path) HTTP/1.0\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 12 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}

/// An upstream station served as HLS, as VOV is: ffmpeg encoding a tone to AAC in
/// one-second segments and a live playlist in a folder that an Icecast serves as static
/// files. Killed, its playlist stops growing: a reader waits for segments that never come.
public final class HLSStation: Sendable {
    public let url: String
    private let pid: Mutex<Int32>

    /// Writes `name`.m3u8 and its segments into `icecast`'s web root (`IcecastServer(webroot:)`).
    public init(icecast: IcecastServer, webroot: URL, name: String, frequency: Int) throws {
        url = "\(icecast.url)/\(name).m3u8"
        let playlist = webroot.appendingPathComponent("\(name).m3u8")
        let started = try ChildProcess.spawn("/usr/bin/ffmpeg", [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=44100",
            "-af", "volume=0.5", "-ac", "1", "-c:a", "aac", "-b:a", "64k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
            "-hls_flags", "delete_segments", playlist.path,
        ], log: icecast.directory.path("hls-\(name).log").path)
        pid = Mutex(started)
        // On air once the playlist lists three segments.
        for _ in 0..<300 {
            if let status = ChildProcess.exitStatus(started) { throw IcecastServer.ServerError("the HLS ffmpeg exited with status \(status)") }
            if let text = try? String(contentsOf: playlist, encoding: .utf8), text.components(separatedBy: "#EXTINF").count > 3 { return }
            usleep(20_000)
        }
        ChildProcess.stop(started)
        throw IcecastServer.ServerError("the HLS playlist \(playlist.path) did not fill within 6 s")
    }

    deinit { kill() }

    /// Takes it off the air at once (SIGKILL).
    public func kill() { pid.withLock { ChildProcess.stop($0, signal: SIGKILL, grace: .seconds(2)) } }
}
