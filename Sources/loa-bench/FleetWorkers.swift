import ArgumentParser
import Foundation
import Synchronization

/// A simulated fleet (`fanout`'s, `province`'s): worker processes of this same
/// executable (`loa-bench fleet-worker`, `province-worker`), each holding a share of
/// the receivers on its own network loop and reporting what they do over a pipe into
/// the tally.
///
/// Several processes because one cannot hold 10,000 clients here: libmosquitto
/// uses 3 descriptors per client and RLIMIT_NOFILE's hard limit is 20,000.
final class FleetWorkers: Sendable {
    /// A worker's answer to `stats`.
    struct LoopFigures: Equatable {
        var turns: UInt64 = 0
        var ready: UInt64 = 0
        var loopCPUSeconds = 0.0

        static func - (lhs: LoopFigures, rhs: LoopFigures) -> LoopFigures {
            LoopFigures(
                turns: lhs.turns - rhs.turns, ready: lhs.ready - rhs.ready,
                loopCPUSeconds: lhs.loopCPUSeconds - rhs.loopCPUSeconds)
        }

        static func + (lhs: LoopFigures, rhs: LoopFigures) -> LoopFigures {
            LoopFigures(
                turns: lhs.turns + rhs.turns, ready: lhs.ready + rhs.ready,
                loopCPUSeconds: lhs.loopCPUSeconds + rhs.loopCPUSeconds)
        }
    }

    /// A worker's connect figures, from its `ready` line.
    struct Readiness {
        var created: Double
        var connected: Double
        var subscribed: Double
    }

    private struct State {
        var readiness: [Int: Readiness] = [:]
        var loops: [Int: LoopFigures] = [:]
        var failures: [String] = []
    }

    /// The workers' process ids, in receiver order.
    let processIDs: [Int32]
    private let inputs: [FileHandle]
    private let state = Mutex(State())

    /// The most receivers one worker may hold under a soft RLIMIT_NOFILE of `fileLimit`:
    /// 3 descriptors per client, and room for everything else.
    static func maximumPerProcess(fileLimit: Int) -> Int { (fileLimit - 256) / 3 }

    /// How many workers hold `receivers`: `requested`, or as few as the open-file limit
    /// allows (raised to its hard limit here, for this process and its children).
    /// - Throws: `ValidationError` when the requested count is out of range or puts more in
    ///   one worker than its descriptors allow.
    static func processes(for receivers: Int, requested: Int?) throws -> (count: Int, limits: (soft: Int, hard: Int)) {
        let limits = FileLimit.raiseToHard()
        let perProcess = maximumPerProcess(fileLimit: limits.soft)
        let count = requested ?? (receivers + perProcess - 1) / perProcess
        guard count > 0, count <= receivers else {
            throw ValidationError("--processes must be between 1 and the receivers (\(receivers))")
        }
        let largestShare = (receivers + count - 1) / count
        guard largestShare <= perProcess else {
            throw ValidationError(
                "--processes \(count) puts \(largestShare) receivers in one worker, which needs \(largestShare * 3) open files (libmosquitto: 3 per client), but RLIMIT_NOFILE's hard limit is \(limits.hard): at most \(perProcess) per worker, so at least \((receivers + perProcess - 1) / perProcess) workers")
        }
        return (count, limits)
    }

    /// Starts `processes` workers sharing receivers `0 ..< receivers` as evenly as possible.
    /// - Parameter arguments: a worker's command line, given its first receiver and how many it holds.
    init(
        receivers: Int, processes: Int, tally: any FleetTally, arguments: (_ first: Int, _ count: Int) -> [String]
    ) throws {
        let executable = URL(fileURLWithPath: try Self.ownExecutable())
        var ids: [Int32] = []
        var inputs: [FileHandle] = []
        var outputs: [FileHandle] = []
        var first = 0
        for worker in 0..<processes {
            let count = receivers / processes + (worker < receivers % processes ? 1 : 0)
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments(first, count)
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            try process.run()
            ids.append(process.processIdentifier)
            inputs.append(input.fileHandleForWriting)
            outputs.append(output.fileHandleForReading)
            first += count
        }
        processIDs = ids
        self.inputs = inputs
        for (worker, output) in outputs.enumerated() { startReading(output, worker: worker, into: tally) }
    }

    /// Waits until every worker has connected and subscribed its receivers.
    /// - Returns: the slowest worker's figures.
    func waitUntilReady(timeout: Duration) async throws -> Readiness {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (readiness, failures) = state.withLock { ($0.readiness, $0.failures) }
            if let failure = failures.first { throw FleetError.workerFailed(failure) }
            if readiness.count == processIDs.count {
                let all = Array(readiness.values)
                return Readiness(
                    created: all.map(\.created).max() ?? 0, connected: all.map(\.connected).max() ?? 0,
                    subscribed: all.map(\.subscribed).max() ?? 0)
            }
            for pid in processIDs where kill(pid, 0) != 0 {
                throw FleetError.workerFailed("worker process \(pid) exited before it was ready")
            }
            guard ContinuousClock.now < deadline else {
                throw FleetError.workerFailed("\(processIDs.count - readiness.count) worker(s) not ready within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Every worker's loop counters, summed.
    func loopFigures() async throws -> LoopFigures {
        state.withLock { $0.loops.removeAll() }
        for input in inputs { try input.write(contentsOf: Data("stats\n".utf8)) }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let loops = state.withLock { $0.loops }
            if loops.count == inputs.count { return loops.values.reduce(LoopFigures(), +) }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw FleetError.workerFailed("a worker did not answer stats within 10 s")
    }

    /// Peak resident memory of each worker (MiB), read while they run.
    func peakResidentMiB() -> [Double] {
        processIDs.map { Double(ProcessSample.peakResidentKiB(pid: $0) ?? 0) / 1024 }
    }

    /// Closes the workers' stdin (they disconnect and exit) and waits for them.
    func stop() {
        for input in inputs { try? input.close() }
        for pid in processIDs {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    private func startReading(_ handle: FileHandle, worker: Int, into tally: any FleetTally) {
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                pending.append(chunk)
                guard let lastNewline = pending.lastIndex(of: 0x0A) else { continue }
                let complete = String(decoding: pending[..<lastNewline], as: UTF8.self)
                pending.removeSubrange(...lastNewline)
                for line in complete.split(separator: "\n") {
                    switch FleetReportLine(line) {
                    case .received(let index, let at): tally.received(index: index, at: at)
                    case .verified(let index, let at): tally.verified(index: index, at: at)
                    case .fetched(let index, let at): tally.fetched(index: index, at: at)
                    case .refused: tally.refusedOne()
                    case .ready(let created, let connected, let subscribed):
                        state.withLock {
                            $0.readiness[worker] = Readiness(created: created, connected: connected, subscribed: subscribed)
                        }
                    case .statistics(let turns, let ready, let cpu):
                        state.withLock {
                            $0.loops[worker] = LoopFigures(turns: turns, ready: ready, loopCPUSeconds: cpu)
                        }
                    case .failed(let message): state.withLock { $0.failures.append(message) }
                    case nil: FileHandle.standardError.write(Data("fleet worker \(worker): \(line)\n".utf8))
                    }
                }
            }
        }
        thread.name = "loa-fleet-reader"
        thread.start()
    }

    /// The path of the running executable, to start it again as a worker.
    private static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw FleetError.workerFailed("cannot read /proc/self/exe: errno \(errno)") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

enum FleetError: Error, CustomStringConvertible {
    case workerFailed(String)

    var description: String {
        switch self {
        case .workerFailed(let message): "fleet worker: \(message)"
        }
    }
}

/// Where a fleet's report lines go: what each receiver did, when (`MonotonicTime`).
protocol FleetTally: Sendable {
    func received(index: Int, at instant: UInt64)
    func verified(index: Int, at instant: UInt64)
    func fetched(index: Int, at instant: UInt64)
    func refusedOne()
}
