import Dispatch
import LoaHTTP
import LoaHarness
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A server on a free loopback port that echoes each request, counting the requests its handler saw.
private struct EchoServer {
    let server: HTTPServer
    let serving: Task<Void, Never>
    let handled: Counter

    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        var value: Int { count.load(ordering: .relaxed) }
        func add() { count.add(1, ordering: .relaxed) }
    }

    static func start(host: String = "127.0.0.1", limits: HTTPServerLimits = HTTPServerLimits(bodyLimit: 1000)) throws -> EchoServer {
        let server = try HTTPServer(host: host, port: 0, limits: limits)
        let handled = Counter()
        let serving = Task {
            await server.run { request in
                handled.add()
                let said = "\(request.method) \(request.path) ?\(request.query ?? "-") x=\(request.value(of: "x-loa") ?? "-") body=\(request.body.count)"
                return HTTPServerResponse(
                    status: request.path == "/missing" ? 404 : 200, fields: [HTTPField(name: "X-Said", value: said)], body: request.body)
            }
        }
        return EchoServer(server: server, serving: serving, handled: handled)
    }

    var url: String { "http://127.0.0.1:\(server.port)" }

    func stop() async {
        serving.cancel()
        await serving.value
    }
}

/// Raw bytes to a port and what came back until the server closed (on a thread of its own).
private enum RawClient {
    struct Answer {
        var text: String
        var status: Int? {
            let parts = text.split(separator: " ", maxSplits: 2)
            return parts.count >= 2 && parts[0].hasPrefix("HTTP/1.1") ? Int(parts[1]) : nil
        }
    }

    /// A connected blocking socket, or nil when nothing listens.
    static func connect(port: Int, host: UInt32 = 0x7F00_0001) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = host.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        var wait = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Sends `request` on `fd` (in pieces of `piece` bytes 20 ms apart, as a client still
    /// sending a body does), then reads until the server closes (or 10 s pass) and closes.
    static func exchange(_ fd: Int32, _ request: [UInt8], piece: Int = .max) async -> Answer {
        await withCheckedContinuation { answer in
            DispatchQueue(label: "raw-client").async {
                var start = 0
                repeat {
                    let end = min(request.count, start + min(piece, request.count))
                    _ = request[start..<end].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    start = end
                    if start < request.count { usleep(20_000) }
                } while start < request.count
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    guard count > 0 else { break }
                    received += buffer[0..<count]
                }
                close(fd)
                answer.resume(returning: Answer(text: String(decoding: received, as: UTF8.self)))
            }
        }
    }

    static func exchange(port: Int, _ request: String, piece: Int = .max) async throws -> Answer {
        let fd = try #require(connect(port: port), "nothing listens on \(port)")
        return await exchange(fd, Array(request.utf8), piece: piece)
    }
}

@Suite("The device's small HTTP server on a real socket")
struct HTTPServerTests {
    @Test("a request reaches the handler whole and its answer comes back, read by the receiver's own client")
    func answers() async throws {
        let echo = try EchoServer.start()
        let got = try await HTTPClient().get(
            "\(echo.url)/board.json?since=3", fields: [HTTPField(name: "X-Loa", value: "một hai")], bodyLimit: 1000)
        #expect(got.status == 200)
        #expect(got.head.value(of: "X-Said") == "GET /board.json ?since=3 x=một hai body=0")
        #expect(got.head.value(of: "Connection") == "close")
        #expect(try await HTTPClient().get("\(echo.url)/missing", bodyLimit: 1000).status == 404)

        let body = #"{"ids":["tb-1@thon-1"]}"#
        let posted = try await RawClient.exchange(
            port: echo.server.port,
            "POST /displayed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(posted.status == 200)
        #expect(posted.text.contains("X-Said: POST /displayed ?- x=- body=\(body.utf8.count)"))
        #expect(posted.text.hasSuffix("\r\n\r\n\(body)"), "\(posted.text)")
        #expect(echo.handled.value == 3)
        await echo.stop()
    }

    @Test("what is not a request it takes is refused with a status that says why, and never reaches the handler")
    func refusals() async throws {
        let echo = try EchoServer.start()
        let port = echo.server.port
        let cases: [(String, Int, String)] = [
            ("hello\r\n\r\n", 400, "not METHOD /path HTTP/1.1"),
            ("GET / HTTP/2.0\r\n\r\n", 505, "send HTTP/1.1"),
            ("GET /\r\n\r\n", 400, "not METHOD /path"),
            ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400, "folded"),
            ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "no name: value"),
            ("POST /displayed HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413, "at most 1000"),
            ("POST /displayed HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400, "not a count of bytes"),
            ("POST /displayed HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "differ"),
            ("POST /displayed HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 411, "Content-Length"),
            ("GET / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n", 431, "over 16384 bytes"),
        ]
        for (request, status, reason) in cases {
            let answer = try await RawClient.exchange(port: port, request)
            #expect(answer.status == status, "\(request.prefix(60)): \(answer.text.prefix(200))")
            #expect(answer.text.contains(reason), "\(request.prefix(60)): \(answer.text.prefix(300))")
            #expect(answer.text.contains("X-Content-Type-Options: nosniff\r\n"), "a refusal repeating the request is read as text only")
        }
        // A body larger than allowed, still being sent after the answer: the 413 reaches the client.
        let huge = String(repeating: "x", count: 300_000)
        let refused = try await RawClient.exchange(
            port: port, "POST /displayed HTTP/1.1\r\nContent-Length: \(huge.count)\r\n\r\n\(huge)", piece: 30_000)
        #expect(refused.status == 413)
        #expect(echo.handled.value == 0)
        await echo.stop()
    }

    @Test("a client that sends nothing is answered 408 and dropped, holding up no one meanwhile")
    func silentClient() async throws {
        let echo = try EchoServer.start(limits: HTTPServerLimits(requestTimeout: .seconds(3)))
        let silent = try #require(RawClient.connect(port: echo.server.port))
        let started = ContinuousClock.now
        let dropped = Task { await RawClient.exchange(silent, Array("GET / HT".utf8)) }
        let answered = try await HTTPClient().get("\(echo.url)/meanwhile", bodyLimit: 1000)
        #expect(answered.status == 200)
        #expect(ContinuousClock.now - started < .milliseconds(2500), "a silent client held up another")
        let answer = await dropped.value
        #expect(answer.status == 408, "\(answer.text)")
        #expect(ContinuousClock.now - started >= .seconds(3))
        #expect(ContinuousClock.now - started < .seconds(10))
        await echo.stop()
    }

    @Test("past the connections allowed at once, a new one is answered 503; once they close, it is served")
    func tooManyConnections() async throws {
        let echo = try EchoServer.start(limits: HTTPServerLimits(requestTimeout: .seconds(30), connections: 2))
        let idle = try [#require(RawClient.connect(port: echo.server.port)), #require(RawClient.connect(port: echo.server.port))]
        var busy: RawClient.Answer?
        #expect(try await eventually(within: .seconds(10)) {
            busy = try await RawClient.exchange(port: echo.server.port, "GET /third HTTP/1.1\r\n\r\n")
            return busy?.status == 503
        }, "\(busy?.text ?? "")")
        for fd in idle { close(fd) }
        var later: RawClient.Answer?
        #expect(try await eventually(within: .seconds(10)) {
            later = try await RawClient.exchange(port: echo.server.port, "GET /later HTTP/1.1\r\n\r\n")
            return later?.status == 200
        }, "\(later?.text ?? "")")
        await echo.stop()
    }

    @Test("cancelling the server ends it within a second with a client connected, and frees the port")
    func stopping() async throws {
        // An address of its own (all of 127/8 is loopback): a port freed on 127.0.0.1 may be
        // taken at once by another test's server, and would seem still open.
        let echo = try EchoServer.start(host: "127.0.0.73", limits: HTTPServerLimits(requestTimeout: .seconds(60)))
        let port = echo.server.port
        let connected = try #require(RawClient.connect(port: port, host: 0x7F00_0049))
        try await Task.sleep(for: .milliseconds(200))
        let stopping = ContinuousClock.now
        await echo.stop()
        #expect(ContinuousClock.now - stopping < .seconds(1))
        let answer = await RawClient.exchange(connected, [])
        #expect(answer.text.isEmpty)
        #expect(RawClient.connect(port: port, host: 0x7F00_0049) == nil)
        let again = try HTTPServer(host: "127.0.0.73", port: port)
        #expect(again.port == port)
    }

    @Test("an address that cannot be bound is named")
    func cannotListen() async throws {
        let echo = try EchoServer.start()
        #expect(throws: HTTPServerError.cannotListen(address: "127.0.0.1:\(echo.server.port)", reason: "Address already in use")) {
            _ = try HTTPServer(host: "127.0.0.1", port: echo.server.port)
        }
        let error = #expect(throws: HTTPServerError.self) { _ = try HTTPServer(host: "no-such-board.invalid", port: 0) }
        #expect(error?.description.contains("no-such-board.invalid:0") == true, "\(String(describing: error))")
        await echo.stop()
    }
}
