import Foundation
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// A distribution of durations in milliseconds, as the fleet benchmarks print it.
struct LatencySummary: Encodable, Equatable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double

    /// Summarises `milliseconds` (nearest-rank percentiles); all zero when empty.
    init(_ milliseconds: [Double]) {
        let sorted = milliseconds.sorted()
        count = sorted.count
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p99 = Self.percentile(sorted, 99)
        max = sorted.last ?? 0
    }

    /// The nearest-rank percentile `p` (0–100) of ascending `sorted`, 0 when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}

/// Facts about running processes read from /proc: CPU time and resident memory.
enum ProcessSample {
    /// Clock ticks per second of /proc/…/stat's utime and stime.
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// User + system CPU seconds the process (all its threads) has used so far, nil when it is gone.
    static func cpuSeconds(pid: Int32) -> Double? {
        cpuSeconds(statPath: "/proc/\(pid)/stat")
    }

    /// User + system CPU seconds of the first thread of `pid` whose name (`comm`) is `name`.
    static func threadCPUSeconds(pid: Int32, name: String) -> Double? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        for task in tasks {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if comm == String(name.prefix(15)) { return cpuSeconds(statPath: "/proc/\(pid)/task/\(task)/stat") }
        }
        return nil
    }

    /// Resident set size in KiB (`VmRSS` of /proc/PID/status), nil when the process is gone.
    static func residentKiB(pid: Int32) -> Int? {
        statusField("VmRSS", pid: pid)
    }

    /// Anonymous resident memory in KiB (`RssAnon`: heap, stacks; not the code and data
    /// of files, which the kernel may drop and read again), nil when the process is gone.
    static func anonymousKiB(pid: Int32) -> Int? {
        statusField("RssAnon", pid: pid)
    }

    /// Peak resident set size in KiB (`VmHWM`), nil when the process is gone.
    static func peakResidentKiB(pid: Int32) -> Int? {
        statusField("VmHWM", pid: pid)
    }

    /// Threads of the process (`Threads` of /proc/PID/status).
    static func threads(pid: Int32) -> Int? {
        statusField("Threads", pid: pid)
    }

    /// Starts a working-set window: clears the "referenced" bit of every page the process
    /// maps (`/proc/PID/clear_refs`), so that ``referencedKiB(pid:)`` later counts only the
    /// pages it touched since. False when not allowed (another user's process, no root).
    @discardableResult
    static func clearReferenced(pid: Int32) -> Bool {
        // Written in place: FileManager writes to a temporary file and renames, which /proc refuses.
        let file = open("/proc/\(pid)/clear_refs", O_WRONLY)
        guard file >= 0 else { return false }
        defer { close(file) }
        return write(file, "1", 1) == 1
    }

    /// KiB of the process's pages touched since ``clearReferenced(pid:)`` (`Referenced` of
    /// /proc/PID/smaps_rollup): its working set, which RSS overstates by the code pages
    /// the kernel maps around each one the process really runs (fault-around), nil when gone.
    static func referencedKiB(pid: Int32) -> Int? {
        field("Referenced", in: "/proc/\(pid)/smaps_rollup")
    }

    /// Page faults that had to read from disk (`majflt`): under a memory limit, the code
    /// pages the kernel dropped and the process needed again; nil when it is gone.
    static func majorFaults(pid: Int32) -> Int? {
        guard let fields = statFields("/proc/\(pid)/stat"), fields.count > 9 else { return nil }
        return Int(fields[9])
    }

    private static func statusField(_ field: String, pid: Int32) -> Int? {
        Self.field(field, in: "/proc/\(pid)/status")
    }

    private static func field(_ field: String, in path: String) -> Int? {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// User + system CPU seconds of the process and of its children that exited and were
    /// waited for (`cutime`, `cstime`): what a server that forks a process per connection
    /// (PostgreSQL) has spent, with backends gone since; nil when it is gone.
    static func cpuSecondsWithReapedChildren(pid: Int32) -> Double? {
        guard let fields = statFields("/proc/\(pid)/stat"), fields.count > 14,
              let user = Double(fields[11]), let system = Double(fields[12]),
              let childUser = Double(fields[13]), let childSystem = Double(fields[14])
        else { return nil }
        return (user + system + childUser + childSystem) / ticksPerSecond
    }

    /// The fields of a /proc stat file after "(comm)": state is [0], ppid [1], utime [11], stime [12].
    static func statFields(_ path: String) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    private static func cpuSeconds(statPath: String) -> Double? {
        guard let fields = statFields(statPath), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12])
        else { return nil }
        return (user + system) / ticksPerSecond
    }
}

/// The process's limit on open files, which caps how many MQTT connections one process holds.
enum FileLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit (children such as mosquitto
    /// inherit it) and returns both.
    @discardableResult
    static func raiseToHard() -> (soft: Int, hard: Int) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return (Int(clamping: limit.rlim_cur), Int(clamping: limit.rlim_max))
    }
}

/// Shared bits of the fleet benchmarks' output.
enum BenchOutput {
    /// The command line as typed, with `loa-bench` as the program name.
    static var commandLine: String {
        (["loa-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }

    /// One JSON line, keys sorted.
    static func jsonLine(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The path of `product`, built beside this benchmark (release); throws when it is not.
    static func siblingExecutable(_ product: String) throws -> String {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(product).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("\(path) is missing: build it too (swift build -c release --product \(product))")
        }
        return path
    }

    /// A progress line on standard error, unbuffered (standard output, to a file, is not
    /// written until the end): where a long run stands.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The machine line printed under the command line.
    static func machineLine(_ machine: MachineFacts) -> String {
        "machine: \(machine.cpu), \(machine.cores) cores, \(machine.memoryGB) GB, \(machine.os); \(machine.date)"
    }

    /// Milliseconds in a `Duration`, fractional.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
