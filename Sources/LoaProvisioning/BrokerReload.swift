public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a running mosquitto re-read its password and ACL files: mosquitto
/// reloads its configuration, `password_file` and `acl_file` on SIGHUP
/// (listeners and a few other settings need a restart). Set `pid_file` in
/// mosquitto.conf so the process can be found; under systemd,
/// `systemctl reload mosquitto` sends the same signal.
public enum BrokerReload {
    /// Sends SIGHUP to `pid`.
    public static func reload(pid: Int32) throws {
        guard pid > 1 else { throw ProvisioningError.signalFailed(pid: pid, errno: ESRCH) }
        guard kill(pid, SIGHUP) == 0 else { throw ProvisioningError.signalFailed(pid: pid, errno: errno) }
    }

    /// Sends SIGHUP to the process whose id is in `pidFile` (mosquitto's `pid_file`).
    public static func reload(pidFile: URL) throws {
        try reload(pid: try pid(in: pidFile))
    }

    /// The process id written in `pidFile`.
    public static func pid(in pidFile: URL) throws -> Int32 {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { throw ProvisioningError.noBrokerPID(path: pidFile.path) }
        return pid
    }
}
