// `timeval` reaches Swift through ALSA's headers, which include <sys/time.h> first.
import CALSA
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A live audio stream over plain HTTP (an Icecast mount), read on the calling thread:
/// `GET` with HTTP basic credentials, the status and headers checked, then the body
/// a chunk at a time, each read waiting at most `readTimeout`.
///
/// Deliberately small: HTTP/1.0 (so the body is never chunked and ends when the server
/// closes), `http://` only, no redirects. Blocking; use from one thread only.
final class HTTPStreamConnection {
    private let socket: Int32
    /// Body bytes that arrived with the headers.
    private var pending: [UInt8] = []

    /// Connects, sends the request and reads the answer's head.
    /// - Throws: ``AudioStreamError`` naming the URL and what failed.
    init(_ request: AudioStreamRequest, connectTimeout: TimeInterval = 3, readTimeout: TimeInterval = 0.25) throws {
        let url = request.url
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host, !host.isEmpty else {
            throw AudioStreamError.unusableURL(url: url, reason: "only http:// URLs with a host are played (an Icecast mount)")
        }
        let port = components.port ?? 80
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else {
            throw AudioStreamError.unreachable(url: url, reason: "the host name \(host) does not resolve")
        }
        defer { freeaddrinfo(found) }
        let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { throw AudioStreamError.unreachable(url: url, reason: "socket: \(String(cString: strerror(errno)))") }
        socket = fd
        do {
            try Self.setTimeout(fd, SO_SNDTIMEO, connectTimeout)
            guard connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
                throw AudioStreamError.unreachable(url: url, reason: "connect: \(String(cString: strerror(errno)))")
            }
            try Self.setTimeout(fd, SO_RCVTIMEO, readTimeout)
            var head = "GET \(components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)"
            if let query = components.percentEncodedQuery { head += "?\(query)" }
            head += " HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: loa-receiver\r\nIcy-MetaData: 0\r\n"
            if let user = request.user, let password = request.password {
                head += "Authorization: Basic \(Data("\(user):\(password)".utf8).base64EncodedString())\r\n"
            }
            head += "\r\n"
            try send(Array(head.utf8), url: url)
            try readHead(url: url, deadline: Date().addingTimeInterval(connectTimeout))
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(socket) }

    /// What one read gave.
    enum Read {
        case bytes(Int)
        /// Nothing within the read timeout.
        case nothingYet
        /// The server closed the stream.
        case ended
    }

    /// Reads what has arrived into `buffer` (waiting at most the read timeout).
    func read(into buffer: inout [UInt8]) throws -> Read {
        if !pending.isEmpty {
            let count = min(pending.count, buffer.count)
            buffer.replaceSubrange(0..<count, with: pending[0..<count])
            pending.removeFirst(count)
            return .bytes(count)
        }
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(count) }
        if count == 0 { return .ended }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return .nothingYet }
        throw AudioStreamError.lost(reason: "recv: \(String(cString: strerror(errno)))")
    }

    private func send(_ bytes: [UInt8], url: String) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw AudioStreamError.unreachable(url: url, reason: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    /// Reads up to the blank line; refuses anything but a 200 with an audio body.
    private func readHead(url: String, deadline: Date) throws {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let blankLine: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = received.firstRange(of: blankLine) {
                pending = Array(received[end.upperBound...])
                received.removeSubrange(end.lowerBound...)
                break
            }
            guard received.count < 16_384 else { throw AudioStreamError.notAudio(url: url, reason: "the answer's head is over 16 KiB") }
            guard Date() < deadline else { throw AudioStreamError.unreachable(url: url, reason: "no answer within the connect timeout") }
            switch try read(into: &chunk) {
            case .bytes(let count): received += chunk[0..<count]
            case .nothingYet: continue
            case .ended: throw AudioStreamError.unreachable(url: url, reason: "the server closed the connection before answering")
            }
        }
        let lines = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        guard status == 200 else {
            throw AudioStreamError.refused(url: url, status: status)
        }
        let type = lines.dropFirst().first { $0.lowercased().hasPrefix("content-type:") }
            .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces).lowercased() }
        if let type, !type.hasPrefix("audio/mpeg"), !type.hasPrefix("audio/mp3") {
            throw AudioStreamError.notAudio(url: url, reason: "its content type is \(type); Loa plays MP3 streams (audio/mpeg)")
        }
    }

    private static func setTimeout(_ fd: Int32, _ option: Int32, _ seconds: TimeInterval) throws {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        guard setsockopt(fd, SOL_SOCKET, option, &time, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw AudioStreamError.unreachable(url: "", reason: "setsockopt: \(String(cString: strerror(errno)))")
        }
    }
}
