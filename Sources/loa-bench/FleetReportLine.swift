import ArgumentParser
import Foundation
import Synchronization

/// One line a fleet worker writes to its parent on stdout.
///
/// Text, one line each, space-separated, so a stray line is easy to see and to skip:
/// - `ready <clients made s> <all connected s> <subscribed s>`
/// - `r <receiver index> <ns>`: a message reached the receiver's task (`MonotonicTime`)
/// - `v <receiver index> <ns>`: the receiver verified and decoded a schedule document
/// - `f <receiver index> <ns>`: the receiver fetched its item's media and checked its SHA-256 (ready to play)
/// - `x <receiver index>`: the receiver refused a downward message
/// - `s <turns> <sockets ready> <loop thread CPU s>`: the answer to `stats`
/// - `e <text>`: the worker failed and is exiting
enum FleetReportLine: Equatable {
    case ready(created: Double, connected: Double, subscribed: Double)
    case received(index: Int, at: UInt64)
    case verified(index: Int, at: UInt64)
    case fetched(index: Int, at: UInt64)
    case refused(index: Int)
    case statistics(turns: UInt64, ready: UInt64, loopCPUSeconds: Double)
    case failed(String)

    var text: String {
        switch self {
        case .ready(let created, let connected, let subscribed): "ready \(created) \(connected) \(subscribed)"
        case .received(let index, let at): "r \(index) \(at)"
        case .verified(let index, let at): "v \(index) \(at)"
        case .fetched(let index, let at): "f \(index) \(at)"
        case .refused(let index): "x \(index)"
        case .statistics(let turns, let ready, let cpu): "s \(turns) \(ready) \(cpu)"
        case .failed(let message): "e \(message.replacingOccurrences(of: "\n", with: " "))"
        }
    }

    /// Parses one line (without its newline); nil for anything else.
    init?(_ line: Substring) {
        let fields = line.split(separator: " ")
        guard let kind = fields.first else { return nil }
        switch (kind, fields.count) {
        case ("ready", 4):
            guard let created = Double(fields[1]), let connected = Double(fields[2]), let subscribed = Double(fields[3])
            else { return nil }
            self = .ready(created: created, connected: connected, subscribed: subscribed)
        case ("r", 3), ("v", 3), ("f", 3):
            guard let index = Int(fields[1]), let at = UInt64(fields[2]) else { return nil }
            switch kind {
            case "r": self = .received(index: index, at: at)
            case "v": self = .verified(index: index, at: at)
            default: self = .fetched(index: index, at: at)
            }
        case ("x", 2):
            guard let index = Int(fields[1]) else { return nil }
            self = .refused(index: index)
        case ("s", 4):
            guard let turns = UInt64(fields[1]), let ready = UInt64(fields[2]), let cpu = Double(fields[3])
            else { return nil }
            self = .statistics(turns: turns, ready: ready, loopCPUSeconds: cpu)
        case ("e", _):
            self = .failed(String(line.dropFirst(2)))
        default:
            return nil
        }
    }
}

/// Writes report lines to stdout from any thread, in batches: callers append to a
/// buffer and a writer thread empties it, so a receiver's task never blocks on the pipe.
final class FleetReportWriter: Sendable {
    private let buffer = Mutex<[UInt8]>([])
    private let wake = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                flush()
            }
        }
        thread.name = "loa-fleet-report"
        thread.start()
    }

    func send(_ line: FleetReportLine) {
        let text = line.text + "\n"
        let wasEmpty = buffer.withLock { buffer in
            let wasEmpty = buffer.isEmpty
            buffer.append(contentsOf: text.utf8)
            return wasEmpty
        }
        if wasEmpty { wake.signal() }
    }

    /// Runs a worker's `body` with a writer; a failure is reported as an `e` line and the
    /// worker exits with a failure status.
    static func serving(_ body: (FleetReportWriter) async throws -> Void) async throws {
        let report = FleetReportWriter()
        do {
            try await body(report)
        } catch {
            report.send(.failed("\(error)"))
            report.flush()
            throw ExitCode.failure
        }
    }

    /// Writes what is buffered now, on the caller's thread.
    func flush() {
        let bytes = buffer.withLock { buffer in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
