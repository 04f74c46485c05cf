#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how a service is doing (`sd_notify(3)`'s protocol, without libsystemd):
/// one datagram a message to the socket named by `$NOTIFY_SOCKET`. A unit with
/// `Type=notify` waits for `READY=1`; with `WatchdogSec=` it restarts the service when
/// `WATCHDOG=1` stops coming for that long. Outside systemd (no `$NOTIFY_SOCKET`) every
/// call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket's path; a leading `@` stands for Linux's abstract namespace.
    public let socketPath: String?
    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC` when the watchdog is meant
    /// for this process (`$WATCHDOG_PID` absent or ours); nil without a watchdog.
    public let watchdogInterval: Duration?

    /// The notifier systemd's environment describes.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SystemdNotifier {
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        let interval = environment["WATCHDOG_USEC"].flatMap { Int64($0) }.flatMap { $0 > 0 && forUs ? Duration.microseconds($0 / 2) : nil }
        return SystemdNotifier(socketPath: environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }, watchdogInterval: interval)
    }

    public init(socketPath: String?, watchdogInterval: Duration?) {
        self.socketPath = socketPath
        self.watchdogInterval = watchdogInterval
    }

    /// The service is up (`READY=1`), with a status line for `systemctl status`.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// The service is alive and its work goes on (`WATCHDOG=1`).
    public func alive() { send("WATCHDOG=1") }
    /// The service is shutting down (`STOPPING=1`).
    public func stopping() { send("STOPPING=1") }

    /// Sends `message`; false when there is no socket or it cannot be reached (systemd
    /// then acts on its own timeouts).
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
            }
        }
        return sent == bytes.count
    }
}
