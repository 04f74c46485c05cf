import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on a free loopback port that delays every chunk, each way, by a random
/// one-way delay: a 4G link between a device and the controller, for tests and benches.
///
/// Order is kept (a chunk never overtakes the one before it, as on one TCP stream), so
/// a chunk waits for at least the delay drawn for it. This stands in for `tc netem`,
/// whose queueing discipline the kernels here lack (`tc qdisc … netem` answers
/// "Specified qdisc kind is unknown"); the delays act on the bytes the same way.
public final class DelayingProxy: Sendable {
    /// The port to connect to instead of the target's.
    public let port: Int
    private let listener: Int32
    private let open = Mutex<Set<Int32>>([])
    /// Byte counts after which the next connections are cut, one a connection.
    private let cuts: Mutex<[Int]>
    private let downlinkCount = Atomic<Int>(0)

    /// Bytes sent towards the clients over every connection so far.
    public var downlinkBytes: Int { downlinkCount.load(ordering: .relaxed) }

    /// Starts relaying to `127.0.0.1:targetPort`, each chunk delayed by a uniform draw
    /// from `oneWayDelayMs` in each direction; towards the client at most
    /// `downlinkBytesPerSecond` when given (a 4G cell's share), and the first connections
    /// cut (both ways closed) once `cutConnectionsAfterBytes[i]` bytes have gone down the i-th.
    /// - Throws: when no loopback port can be bound.
    public init(
        forwardingTo targetPort: Int, oneWayDelayMs: ClosedRange<Double>, downlinkBytesPerSecond: Int? = nil,
        cutConnectionsAfterBytes: [Int] = []
    ) throws {
        cuts = Mutex(cutConnectionsAfterBytes)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = LoopbackPort.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound, listen(listener, 64) == 0 else {
            close(listener)
            throw ListenError()
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }  // closed by stop()
                let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var target = LoopbackPort.loopback(port: targetPort)
                let connected = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                    }
                }
                guard connected else {
                    close(client)
                    close(upstream)
                    continue
                }
                var noDelay: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
                setsockopt(upstream, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
                open.withLock { $0.formUnion([client, upstream]) }
                let cut = cuts.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                Self.relay(from: client, to: upstream, delayMs: oneWayDelayMs)
                Self.relay(
                    from: upstream, to: client, delayMs: oneWayDelayMs, bytesPerSecond: downlinkBytesPerSecond, cutAfter: cut,
                    counted: { self.downlinkCount.add($0, ordering: .relaxed) })
            }
        }
    }

    /// No loopback port could be bound.
    public struct ListenError: Error, CustomStringConvertible {
        public var description: String { "DelayingProxy: cannot listen on a loopback port" }
    }

    /// Stops accepting and cuts every relayed connection.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open.withLock({ $0 }) {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// Reads `source` on a thread of its own; a second thread writes each chunk to
    /// `destination` when its delay is up, strictly in the order read, at most
    /// `bytesPerSecond`, closing both after `cutAfter` bytes.
    private static func relay(
        from source: Int32, to destination: Int32, delayMs: ClosedRange<Double>, bytesPerSecond: Int? = nil,
        cutAfter: Int? = nil, counted: (@Sendable (Int) -> Void)? = nil
    ) {
        // A throttled link hands over small chunks, as a radio link does.
        let readSize = bytesPerSecond.map { max(1024, min(64 * 1024, $0 / 20)) } ?? 64 * 1024
        let queue = Mutex<[(due: DispatchTime, chunk: [UInt8]?)]>([])  // nil: the end of the stream
        let queued = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var due = DispatchTime.now()
            var buffer = [UInt8](repeating: 0, count: readSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                due = max(due, DispatchTime.now() + .microseconds(Int(Double.random(in: delayMs) * 1000)))
                let chunk = count > 0 ? Array(buffer[0..<count]) : nil
                queue.withLock { $0.append((due, chunk)) }
                queued.signal()
                if chunk == nil { return }
            }
        }
        Thread.detachNewThread {
            var relayed = 0
            while true {
                queued.wait()
                guard let (due, chunk) = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                let now = DispatchTime.now()
                if due > now { usleep(UInt32((due.uptimeNanoseconds - now.uptimeNanoseconds) / 1000)) }
                guard var chunk else {
                    shutdown(destination, Int32(SHUT_WR))
                    return
                }
                if let cutAfter { chunk = Array(chunk.prefix(max(0, cutAfter - relayed))) }
                var sent = 0
                while sent < chunk.count {
                    let n = chunk.withUnsafeBytes { write(destination, $0.baseAddress! + sent, chunk.count - sent) }
                    guard n > 0 else { return }
                    sent += n
                }
                relayed += sent
                counted?(sent)
                if let cutAfter, relayed >= cutAfter {
                    // The link drops: both ends see the connection end mid-answer.
                    shutdown(destination, Int32(SHUT_RDWR))
                    shutdown(source, Int32(SHUT_RDWR))
                    return
                }
                if let bytesPerSecond { usleep(UInt32(Double(sent) / Double(bytesPerSecond) * 1_000_000)) }
            }
        }
    }
}
