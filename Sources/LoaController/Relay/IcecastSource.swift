import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A source connection to an Icecast mount (Icecast 2.4's `PUT`): the controller sends a
/// live session's MP3 through it as the speaker's client sends it.
///
/// Blocking sends on a loopback or LAN socket to the controller's own Icecast, which reads
/// as fast as it is written; a send that cannot go on for `sendTimeout` fails the session.
final class IcecastSource {
    private let socket: Int32

    /// Connects to `icecastURL` and asks for `mount` as its source.
    /// - Throws: ``LiveSessionError/relayUnavailable(_:)`` naming what failed.
    init(icecastURL: String, password: String, mount: String, name: String, sendTimeout: TimeInterval = 5) throws {
        guard let url = URL(string: icecastURL), let host = url.host, let port = url.port else {
            throw LiveSessionError.relayUnavailable("relay.icecastURL '\(icecastURL)' has no host and port")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else {
            throw LiveSessionError.relayUnavailable("\(host) does not resolve")
        }
        defer { freeaddrinfo(found) }
        let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { throw LiveSessionError.relayUnavailable("socket: \(String(cString: strerror(errno)))") }
        socket = fd
        do {
            var timeout = timeval(tv_sec: Int(sendTimeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
                throw LiveSessionError.relayUnavailable("Icecast at \(host):\(port): \(String(cString: strerror(errno)))")
            }
            let credentials = Data("source:\(password)".utf8).base64EncodedString()
            try send(Data((
                "PUT \(mount) HTTP/1.1\r\nHost: \(host):\(port)\r\nAuthorization: Basic \(credentials)\r\n"
                    + "Content-Type: audio/mpeg\r\nIce-Public: 0\r\nIce-Name: \(name)\r\nExpect: 100-continue\r\n\r\n").utf8))
            var answer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &answer, answer.count, 0)
            let head = count > 0 ? String(decoding: answer[0..<count], as: UTF8.self) : ""
            guard head.hasPrefix("HTTP/1.1 100") || head.hasPrefix("HTTP/1.1 200") || head.hasPrefix("HTTP/1.0 200") else {
                throw LiveSessionError.relayUnavailable(
                    "Icecast refused the source for \(mount): \(head.split(separator: "\r\n").first.map(String.init) ?? "no answer")")
            }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(socket) }

    /// Sends `bytes` to the mount.
    func send(_ bytes: Data) throws {
        try bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw LiveSessionError.relayUnavailable("sending to Icecast: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
    }
}
