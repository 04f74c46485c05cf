#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One `GET` over a connection of its own (`http://` or `https://`), read on one thread:
/// the request is sent and the answer's head read when it is made, then the body a piece
/// at a time, its end known from `Content-Length`, chunks or the server's close.
///
/// Deliberately small: HTTP/1.1 with `Connection: close`, no redirects followed, no
/// cookies, no proxies. Every wait looks at the ``HTTPCancellation`` it was given.
public final class HTTPClientConnection {
    /// What one read of the body gave.
    public enum BodyRead: Equatable {
        case bytes(Int)
        /// Nothing within the time allowed.
        case nothingYet
        /// The body is complete.
        case ended
    }

    public let head: HTTPResponseHead
    private let url: String
    private let transport: any ByteTransport
    private var framing: BodyFraming
    /// Body bytes framed but not yet handed over, from `unreadStart` on.
    private var unread: [UInt8] = []
    private var unreadStart = 0
    private var scratch = [UInt8](repeating: 0, count: 65_536)

    /// Connects, sends `GET url` with `fields`, and reads the answer's head.
    /// - Parameters:
    ///   - caFile: for `https://`, the CA certificates (PEM) to trust; nil: the system's.
    ///   - connectTimeout: for the connection and TLS handshake.
    ///   - answerTimeout: from the request sent to the answer's head read.
    /// - Throws: ``HTTPClientError`` naming the URL and what failed.
    public init(
        url: String, fields: [HTTPField] = [], caFile: String? = nil, connectTimeout: Duration, answerTimeout: Duration,
        cancellation: HTTPCancellation = HTTPCancellation()
    ) throws(HTTPClientError) {
        self.url = url
        let target = try HTTPTarget(url)
        let connectDeadline = ContinuousClock.now + connectTimeout
        let socket = try TCPSocket(host: target.host, port: target.port, url: url, deadline: connectDeadline, cancellation: cancellation)
        transport = target.secure
            ? try TLSTransport(over: socket, host: target.host, caFile: caFile, url: url, deadline: connectDeadline)
            : PlainTransport(socket)
        var request = "GET \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostField)\r\nConnection: close\r\n"
        for field in fields { request += "\(field.name): \(field.value)\r\n" }
        request += "\r\n"
        let answerDeadline = ContinuousClock.now + answerTimeout
        try transport.writeAll(Array(request.utf8), until: answerDeadline)
        switch try transport.readHead(until: answerDeadline, scratch: &scratch) {
        case .complete(let headBytes, let afterHead):
            head = try HTTPResponseHead.parse(headBytes, url: url)
            framing = try head.framing(url: url)
            try frame(afterHead[...])
        case .tooLarge: throw .malformed(url: url, reason: "the answer's head is over \(HTTPHead.sizeLimit) bytes")
        case .timedOut: throw .timedOut(url: url, reason: "no answer")
        case .closed: throw .lost(url: url, reason: "the server closed the connection before answering")
        }
    }

    /// Copies the next body bytes into `buffer`, waiting at most `wait` for them.
    /// - Throws: `.lost` when the connection ends before the body does; `.malformed`; `.cancelled`.
    public func readBody(into buffer: inout [UInt8], waitingAtMost wait: Duration) throws(HTTPClientError) -> BodyRead {
        let deadline = ContinuousClock.now + wait
        while true {
            if unreadStart < unread.count {
                let count = min(buffer.count, unread.count - unreadStart)
                buffer.replaceSubrange(0..<count, with: unread[unreadStart..<(unreadStart + count)])
                unreadStart += count
                return .bytes(count)
            }
            unread.removeAll(keepingCapacity: true)
            unreadStart = 0
            if isComplete { return .ended }
            let count = try transport.read(into: &scratch, until: deadline)
            guard let count else { return .nothingYet }
            guard count > 0 else {
                try serverClosed()
                return .ended
            }
            try frame(scratch[0..<count])
        }
    }

    private var isComplete: Bool {
        switch framing {
        case .none: true
        case .length(let remaining): remaining == 0
        case .chunked(let decoder): decoder.isDone
        case .untilClose: false
        }
    }

    /// Moves the body bytes in `received` (bytes past the body's end are dropped) into `unread`.
    private func frame(_ received: ArraySlice<UInt8>) throws(HTTPClientError) {
        switch framing {
        case .none:
            break
        case .length(let remaining):
            let take = min(remaining, received.count)
            unread += received.prefix(take)
            framing = .length(remaining: remaining - take)
        case .chunked(var decoder):
            do {
                try decoder.decode(received, into: &unread)
            } catch {
                throw .malformed(url: url, reason: error.reason)
            }
            framing = .chunked(decoder)
        case .untilClose:
            unread += received
        }
    }

    private func serverClosed() throws(HTTPClientError) {
        switch framing {
        case .length(let remaining) where remaining > 0:
            throw .lost(url: url, reason: "the server closed the connection \(remaining) bytes before the end of the body")
        case .chunked(let decoder) where !decoder.isDone:
            throw .lost(url: url, reason: "the server closed the connection before the last chunk")
        default:
            framing = .none
        }
    }
}

/// Where a URL points, as this client connects to it.
struct HTTPTarget {
    let secure: Bool
    let host: String
    let port: Int
    let pathAndQuery: String
    /// The `Host` field: the port only when it is not the scheme's own.
    let hostField: String

    init(_ url: String) throws(HTTPClientError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .unusableURL(url: url, reason: "only http:// and https:// URLs are asked")
        }
        guard let host = components.host, !host.isEmpty else { throw .unusableURL(url: url, reason: "the URL has no host") }
        secure = scheme == "https"
        let defaultPort = secure ? 443 : 80
        port = components.port ?? defaultPort
        guard (1...65_535).contains(port) else { throw .unusableURL(url: url, reason: "port \(port) is not 1…65535") }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let bracketed = self.host.contains(":") ? "[\(self.host)]" : self.host
        hostField = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }
}
