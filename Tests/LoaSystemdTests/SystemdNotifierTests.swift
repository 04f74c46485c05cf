import Foundation
import LoaHarness
import LoaSystemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What systemd's notify socket receives from a service: readiness and watchdog pings.
struct SystemdNotifierTests {
    /// A datagram socket bound where `$NOTIFY_SOCKET` would point, as systemd binds it.
    final class NotifySocket {
        let fd: Int32
        let path: String

        init(in folder: TemporaryDirectory) throws {
            path = folder.path("notify").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// The next datagram, or nil within 2 s.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
        }
    }

    @Test("READY=1 with a status, WATCHDOG=1 and STOPPING=1 reach the socket $NOTIFY_SOCKET names")
    func messagesReachTheSocket() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let socket = try NotifySocket(in: folder)
        let notifier = SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": socket.path])
        notifier.ready(status: "thôn Đông")
        #expect(socket.receive() == "READY=1\nSTATUS=thôn Đông")
        notifier.alive()
        #expect(socket.receive() == "WATCHDOG=1")
        notifier.stopping()
        #expect(socket.receive() == "STOPPING=1")
    }

    @Test("the watchdog is pinged at half its period, and only when it is meant for this process")
    func watchdogInterval() {
        #expect(SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "30000000"]).watchdogInterval == .seconds(15))
        #expect(SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"]).watchdogInterval == .seconds(15))
        #expect(SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
        #expect(SystemdNotifier.fromEnvironment([:]).watchdogInterval == nil)
    }

    @Test("outside systemd nothing is sent and nothing fails")
    func outsideSystemd() {
        #expect(!SystemdNotifier.fromEnvironment([:]).send("READY=1"))
    }
}
