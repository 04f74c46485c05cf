#if canImport(Glibc)
import Glibc
#endif

/// What a connection waits for on its socket.
enum SocketReadiness {
    case readable, writable

    var pollEvents: Int16 { Int16(self == .readable ? POLLIN : POLLOUT) }
}

/// A non-blocking TCP connection; every wait is a `poll` that gives up at a deadline or
/// when the exchange is cancelled. Closed when released, unless borrowed.
final class TCPSocket {
    let descriptor: Int32
    /// What errors name: the URL asked, or the server's client.
    private let url: String
    private let cancellation: HTTPCancellation
    private let closesWhenReleased: Bool

    /// A connection made elsewhere (one the server accepted), used for a while and left open.
    init(borrowing descriptor: Int32, label: String, cancellation: HTTPCancellation) {
        self.descriptor = descriptor
        url = label
        self.cancellation = cancellation
        closesWhenReleased = false
    }

    /// Connects to `host`:`port`, trying each address the name resolves to in turn.
    /// - Throws: ``HTTPClientError`` `.unreachable`, `.timedOut` or `.cancelled`.
    init(host: String, port: Int, url: String, deadline: ContinuousClock.Instant, cancellation: HTTPCancellation) throws(HTTPClientError) {
        self.url = url
        self.cancellation = cancellation
        closesWhenReleased = true
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &found)
        guard resolved == 0, let first = found else {
            throw .unreachable(url: url, reason: "the host name \(host) does not resolve (\(String(cString: gai_strerror(resolved))))")
        }
        defer { freeaddrinfo(found) }
        var lastFailure = HTTPClientError.unreachable(url: url, reason: "no address for \(host)")
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            guard fd >= 0 else {
                lastFailure = .unreachable(url: url, reason: "socket: \(Self.lastError())")
                continue
            }
            do throws(HTTPClientError) {
                try Self.connect(fd, to: address.pointee, url: url, deadline: deadline, cancellation: cancellation)
                descriptor = fd
                return
            } catch {
                close(fd)
                if case .unreachable = error { lastFailure = error } else { throw error }
            }
        }
        throw lastFailure
    }

    deinit { if closesWhenReleased { close(descriptor) } }

    private static func connect(
        _ fd: Int32, to address: addrinfo, url: String, deadline: ContinuousClock.Instant, cancellation: HTTPCancellation
    ) throws(HTTPClientError) {
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return }
        guard errno == EINPROGRESS else { throw .unreachable(url: url, reason: "connect: \(lastError())") }
        try wait(fd, for: .writable, until: deadline, url: url, cancellation: cancellation, waiting: "no connection")
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
        guard failure == 0 else { throw .unreachable(url: url, reason: "connect: \(String(cString: strerror(failure)))") }
    }

    /// Waits until the socket is ready for `readiness`.
    /// - Throws: `.timedOut` (saying what was `waiting`) past `deadline`; `.cancelled`.
    func wait(for readiness: SocketReadiness, until deadline: ContinuousClock.Instant, waiting: String) throws(HTTPClientError) {
        try Self.wait(descriptor, for: readiness, until: deadline, url: url, cancellation: cancellation, waiting: waiting)
    }

    /// Waits until `fd` is ready for `readiness`, looking at `cancellation` at least every
    /// ``HTTPCancellation/checkInterval``: the socket's own waits, and the server's for a connection.
    static func wait(
        _ fd: Int32, for readiness: SocketReadiness, until deadline: ContinuousClock.Instant, url: String,
        cancellation: HTTPCancellation, waiting: String
    ) throws(HTTPClientError) {
        var entry = pollfd(fd: fd, events: readiness.pollEvents, revents: 0)
        while true {
            if cancellation.isCancelled { throw .cancelled(url: url) }
            let left = deadline - .now
            guard left > .zero else { throw .timedOut(url: url, reason: waiting) }
            let slice = min(left, HTTPCancellation.checkInterval)
            let milliseconds = Int32(max(1, slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }  // ready, or an error the next call reports
            if ready < 0 && errno != EINTR { throw .lost(url: url, reason: "poll: \(lastError())") }
        }
    }

    /// Sends what it can of `bytes` now: the count sent, or nil when the socket is full.
    func send(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> Int? {
        let sent = Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        if sent >= 0 { return sent }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        throw .lost(url: url, reason: "send: \(Self.lastError())")
    }

    /// Receives what has arrived: the count (0 when the server closed), or nil when nothing has.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int? {
        let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
        if count >= 0 { return count }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        throw .lost(url: url, reason: "recv: \(Self.lastError())")
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
