import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening TCP socket. Each ``accept()`` waits on a thread of the socket's own
/// queue, never on Swift's shared threads.
final class ListeningSocket: Sendable {
    let port: Int
    private let descriptor: Int32
    /// Set by ``stop()``; the waits for a connection look at it as an exchange's waits do.
    private let stopping = HTTPCancellation()
    private let closed = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "loa.http-server.accept")

    /// Binds the first address `host` resolves to that can be bound, and listens.
    init(host: String, port: Int) throws(HTTPServerError) {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (0...65_535).contains(port) else { throw .cannotListen(address: address, reason: "the port is not 0…65535") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &found)
        guard resolved == 0, let first = found else {
            throw .cannotListen(address: address, reason: "\(host) does not resolve (\(String(cString: gai_strerror(resolved))))")
        }
        defer { freeaddrinfo(found) }
        var failure = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let entry = candidate?.pointee {
            candidate = entry.ai_next
            let fd = socket(entry.ai_family, entry.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), entry.ai_protocol)
            guard fd >= 0 else {
                failure = "socket: \(TCPSocket.lastError())"
                continue
            }
            var reuse: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, entry.ai_addr, entry.ai_addrlen) == 0, listen(fd, 64) == 0 else {
                failure = "\(TCPSocket.lastError())"
                Glibc.close(fd)
                continue
            }
            descriptor = fd
            self.port = Self.boundPort(of: fd) ?? port
            return
        }
        throw .cannotListen(address: address, reason: failure)
    }

    deinit { close() }

    /// The next connection (non-blocking, close-on-exec), or nil once ``stop()`` was called.
    func accept() async -> Int32? {
        await withCheckedContinuation { (answer: CheckedContinuation<Int32?, Never>) in
            queue.async { answer.resume(returning: self.acceptWaiting()) }
        }
    }

    private func acceptWaiting() -> Int32? {
        while true {
            do {
                try TCPSocket.wait(
                    descriptor, for: .readable, until: .now + .seconds(3600), url: "the server's listening socket", cancellation: stopping,
                    waiting: "a connection")
            } catch .cancelled {
                return nil
            } catch {
                continue  // an hour without a connection, or poll interrupted: wait again
            }
            let connection = Self.acceptNonBlocking(descriptor)
            if connection >= 0 { return connection }
            // Out of descriptors or memory: wait a moment rather than spin on the same error.
            if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { usleep(100_000) }
        }
    }

    /// `accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)`: the connection close-on-exec from its first
    /// instant, so a child spawned meanwhile does not inherit it. Glibc's module does not
    /// export accept4 (it is a GNU extension), hence the lookup; without it, `accept` and
    /// `fcntl`.
    private static func acceptNonBlocking(_ listening: Int32) -> Int32 {
        if let accept4 { return accept4(listening, nil, nil, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)) }
        let connection = Glibc.accept(listening, nil, nil)
        if connection >= 0 {
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
        }
        return connection
    }

    private static let accept4: (@convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "accept4") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32).self)
    }()

    /// Makes ``accept()`` return nil within 100 ms, now and from now on.
    func stop() { stopping.cancel() }

    /// Closes the socket (once), freeing the port.
    func close() {
        if !closed.exchange(true, ordering: .relaxed) { Glibc.close(descriptor) }
    }

    private static func boundPort(of fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        // sockaddr_in and sockaddr_in6 both keep the port, big-endian, right after the 2-byte family.
        return Int(UInt16(bigEndian: withUnsafeBytes(of: storage) { $0.load(fromByteOffset: 2, as: UInt16.self) }))
    }
}
