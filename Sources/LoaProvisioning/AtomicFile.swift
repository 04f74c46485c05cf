public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically: writes a temporary file beside it, flushes it
/// to disk, gives it the old file's owner, group and mode (or `mode` for a new
/// file) and renames it over the old one. Readers such as mosquitto reloading
/// on SIGHUP see the old file or the new one, never half of one.
public enum AtomicFile {
    /// Replaces (or creates) `url` with `data`.
    /// - Throws: `ProvisioningError.cannotWrite` naming the step that failed.
    public static func write(_ data: Data, to url: URL, mode: mode_t) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp").path
        func failure(_ what: String) -> ProvisioningError {
            .cannotWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw failure("create") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var old = stat()
            if stat(path, &old) == 0 {
                _ = fchown(fd, old.st_uid, old.st_gid)  // needs privileges; keeping the mode is what matters
                guard fchmod(fd, old.st_mode & 0o7777) == 0 else { throw failure("chmod") }
            } else {
                guard fchmod(fd, mode) == 0 else { throw failure("chmod") }
            }
            let written = data.withUnsafeBytes { buffer -> Int in
                var offset = 0
                while offset < buffer.count {
                    let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 { if errno == EINTR { continue } else { return -1 } }
                    offset += n
                }
                return offset
            }
            guard written == data.count else { throw failure("write") }
            guard fsync(fd) == 0 else { throw failure("fsync") }
        }
        guard rename(temporary, path) == 0 else { throw failure("rename") }
        ok = true
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
