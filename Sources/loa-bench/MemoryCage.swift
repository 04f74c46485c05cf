import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A memory cgroup holding one process to a limit, as a board with little RAM (or
/// `MemoryMax=` in its systemd unit) would: past the limit the kernel drops the
/// process's file pages (code it can read again) and, when what cannot be dropped
/// (heap, stacks) outgrows it, kills the process. cgroup v2 (`memory.max`) when its
/// memory controller is enabled, else v1 (`memory.limit_in_bytes`). Needs root.
///
/// A page is charged to the cgroup of the process that first brings it into memory, so
/// the process must start inside the cage (`command(_:_:)`) with its binary not already
/// in the page cache (`dropPageCache()`): else its code would be charged elsewhere and
/// the limit would hold its heap only.
struct MemoryCage {
    let directory: String
    private let version: Int

    /// Creates the cgroup with `limitMiB`.
    /// - Throws: `MemoryCageError` naming what could not be done.
    init(limitMiB: Int) throws {
        let name = "loa-bench-cage-\(getpid())"
        let bytes = String(limitMiB * 1024 * 1024)
        let unified = "/sys/fs/cgroup"
        if let controllers = try? String(contentsOfFile: "\(unified)/cgroup.controllers", encoding: .utf8),
           controllers.split(separator: " ").contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "memory" }) {
            (directory, version) = ("\(unified)/\(name)", 2)
        } else if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes") {
            (directory, version) = ("/sys/fs/cgroup/memory/\(name)", 1)
        } else {
            throw MemoryCageError("no memory cgroup controller on this machine (neither v2's memory.max nor v1's memory.limit_in_bytes)")
        }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else { throw MemoryCageError("cannot create \(directory): \(String(cString: strerror(errno)))") }
        try Self.write(bytes, to: "\(directory)/\(version == 2 ? "memory.max" : "memory.limit_in_bytes")")
        if version == 2 { try? Self.write("0", to: "\(directory)/memory.swap.max") }
    }

    /// `executable` with `arguments`, started by a shell that first moves itself into the
    /// cage, then becomes the executable (same process id).
    func command(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        ("/bin/sh", ["-c", "echo $$ > '\(directory)/cgroup.procs' && exec \"$0\" \"$@\"", executable] + arguments)
    }

    /// Drops the clean page cache that no process maps (`/proc/sys/vm/drop_caches`), so
    /// that the next process's binary is read from disk and charged to it; false when not allowed.
    static func dropPageCache() -> Bool {
        sync()
        return (try? write("1", to: "/proc/sys/vm/drop_caches")) != nil
    }

    /// The most the cgroup has held, MiB (v1: `memory.max_usage_in_bytes`; v2: `memory.peak`), nil when unknown.
    var peakMiB: Double? {
        Self.number(in: "\(directory)/\(version == 2 ? "memory.peak" : "memory.max_usage_in_bytes")").map { Double($0) / 1_048_576 }
    }

    /// Processes the kernel killed for want of memory in it (`oom_kill`), nil when unknown.
    var oomKills: Int? {
        let file = "\(directory)/\(version == 2 ? "memory.events" : "memory.oom_control")"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") { return Int(line.split(separator: " ").last ?? "") }
        return nil
    }

    /// Removes the cgroup (once its process is gone).
    func remove() { rmdir(directory) }

    private static func number(in file: String) -> Int? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Writes `value` in place (cgroup files refuse FileManager's write-and-rename).
    private static func write(_ value: String, to file: String) throws {
        let handle = open(file, O_WRONLY)
        guard handle >= 0 else { throw MemoryCageError("cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(handle) }
        guard Glibc.write(handle, value, value.utf8.count) == value.utf8.count else {
            throw MemoryCageError("cannot write \(value) to \(file): \(String(cString: strerror(errno)))")
        }
    }
}

struct MemoryCageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
