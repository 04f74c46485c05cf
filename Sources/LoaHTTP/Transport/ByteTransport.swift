/// What one read or write on a transport did.
enum TransportProgress: Equatable {
    /// So many bytes moved (a read of 0: the server closed the connection).
    case moved(Int)
    /// Nothing can move until the socket is ready for this.
    case needs(SocketReadiness)
}

/// Bytes to and from the server: plain TCP or TLS over it. Never blocks.
protocol ByteTransport: AnyObject {
    var socket: TCPSocket { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> TransportProgress
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> TransportProgress
}

/// `http://`: the socket as it is.
final class PlainTransport: ByteTransport {
    let socket: TCPSocket

    init(_ socket: TCPSocket) { self.socket = socket }

    func write(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> TransportProgress {
        try socket.send(bytes).map { .moved($0) } ?? .needs(.writable)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> TransportProgress {
        try socket.receive(into: buffer).map { .moved($0) } ?? .needs(.readable)
    }
}

extension ByteTransport {
    /// Writes all of `bytes`, waiting for room until `deadline`.
    func writeAll(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let progress = bytes[sent...].withUnsafeBytes { buffer in Result { () throws(HTTPClientError) in try write(buffer) } }
            switch try progress.get() {
            case .moved(let count): sent += count
            case .needs(let readiness): try socket.wait(for: readiness, until: deadline, waiting: "the request could not be sent")
            }
        }
    }

    /// Reads what arrives into the start of `array`, waiting until `deadline`: as below.
    func read(into array: inout [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Int? {
        try array.withUnsafeMutableBytes { buffer in Result { () throws(HTTPClientError) in try read(into: buffer, until: deadline) } }.get()
    }

    /// Reads what arrives into `buffer`, waiting until `deadline`: the count, 0 when the
    /// server closed the connection, nil when nothing came in time.
    func read(into buffer: UnsafeMutableRawBufferPointer, until deadline: ContinuousClock.Instant) throws(HTTPClientError) -> Int? {
        while true {
            switch try read(into: buffer) {
            case .moved(let count): return count
            case .needs(let readiness):
                do {
                    try socket.wait(for: readiness, until: deadline, waiting: "")
                } catch .timedOut {
                    return nil
                }
            }
        }
    }
}
/// What reading a head up to its blank line gave.
enum HeadReading {
    /// The head's bytes (without the blank line) and those that came after it.
    case complete(head: ArraySlice<UInt8>, after: [UInt8])
    /// More than ``HTTPHead/sizeLimit`` bytes came without a blank line.
    case tooLarge
    /// The blank line did not come in time.
    case timedOut
    /// The other side closed the connection before the blank line.
    case closed
}

extension ByteTransport {
    /// Reads up to the blank line that ends a head, waiting until `deadline`.
    /// - Throws: what the transport threw (`.lost`, `.cancelled`, `.tls`).
    func readHead(until deadline: ContinuousClock.Instant, scratch: inout [UInt8]) throws(HTTPClientError) -> HeadReading {
        var received: [UInt8] = []
        let blankLine: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = received.firstRange(of: blankLine) {
                return .complete(head: received[..<end.lowerBound], after: Array(received[end.upperBound...]))
            }
            guard received.count < HTTPHead.sizeLimit else { return .tooLarge }
            guard let count = try read(into: &scratch, until: deadline) else { return .timedOut }
            guard count > 0 else { return .closed }
            received += scratch[0..<count]
        }
    }
}
