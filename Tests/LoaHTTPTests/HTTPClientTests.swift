import Foundation
import Hummingbird
import LoaHTTP
import LoaHarness
import Synchronization
import Testing

/// A Hummingbird server on a free loopback port with the routes the tests need.
private struct TestServer {
    let port: Int
    let serving: GracefullyStoppedTask<Void>

    static let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }

    static func start() async throws -> TestServer {
        let router = Router()
        // Chunked: no length, written in pieces of odd sizes.
        router.get("chunked") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                var start = 0
                for size in [1, 7, 65_537, 100_000, 134_455] {
                    try await writer.write(ByteBuffer(bytes: body[start..<(start + size)]))
                    start += size
                }
                try await writer.finish(nil)
            })
        }
        router.get("whole") { request, _ in
            let auth = request.headers[.authorization] ?? "none"
            return Response(status: .ok, headers: [.contentType: "application/octet-stream", .init("X-Auth")!: auth], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        // A head and a first piece, then silence.
        router.get("stall") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: [1, 2, 3]))
                try await Task.sleep(for: .seconds(30))
                try await writer.finish(nil)
            })
        }
        let port = Mutex(0)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } })
        let serving = GracefullyStoppedTask { try await app.runService() }
        try #require(try await eventually(within: .seconds(60)) { port.withLock { $0 } != 0 })
        return TestServer(port: port.withLock { $0 }, serving: serving)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
}

@Suite("The receiver's HTTP client on a real server")
struct HTTPClientTests {
    @Test("a body comes whole by length and by chunks, with the fields sent; a limit is kept")
    func bodies() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.serving.stop() } }
        let client = HTTPClient()
        let whole = try await client.get(server.url("whole"), fields: [HTTPField(name: "Authorization", value: "Bearer loa-1:abc")], bodyLimit: 1 << 20)
        #expect(whole.status == 200 && whole.body == TestServer.body)
        #expect(whole.head.value(of: "x-auth") == "Bearer loa-1:abc")
        let chunked = try await client.get(server.url("chunked"), bodyLimit: 1 << 20)
        #expect(chunked.head.value(of: "Transfer-Encoding") == "chunked")
        #expect(chunked.body == TestServer.body)
        let missing = try await client.get(server.url("nothing-here"), bodyLimit: 1 << 20)
        #expect(missing.status == 404)
        await #expect(throws: HTTPClientError.tooLarge(url: server.url("whole"), limit: 1000)) {
            _ = try await client.get(server.url("whole"), bodyLimit: 1000)
        }
        await #expect(throws: HTTPClientError.self) { _ = try await client.get("ftp://127.0.0.1/x", bodyLimit: 10) }
    }

    @Test("a connection cut before the body's end is an error, not a short body")
    func cutIsLost() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.serving.stop() } }
        let proxy = try DelayingProxy(forwardingTo: server.port, oneWayDelayMs: 0...1, cutConnectionsAfterBytes: [100_000])
        defer { proxy.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient().get("http://127.0.0.1:\(proxy.port)/whole", bodyLimit: 1 << 20)
        }
        guard case .lost(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("bytes before the end of the body"), "\(reason)")
    }

    @Test("a silent server is given up after the idle time; a cancelled task stops at once")
    func silenceAndCancellation() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.serving.stop() } }
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient(idleTimeout: .milliseconds(500)).get(server.url("stall"), bodyLimit: 100)
        }
        #expect(ContinuousClock.now - started < .seconds(5))

        let asking = Task { _ = try await HTTPClient(idleTimeout: .seconds(60)).get(server.url("stall"), bodyLimit: 100) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        asking.cancel()
        let outcome = await asking.result
        #expect(ContinuousClock.now - cancelledAt < .seconds(2))
        guard case .failure(let error as HTTPClientError) = outcome, case .cancelled = error else {
            Issue.record("not cancelled: \(outcome)")
            return
        }
    }

    @Test("nothing listening: unreachable, naming the URL")
    func refused() async throws {
        let port = try #require(LoopbackPort.free())
        let error = await #expect(throws: HTTPClientError.self) { _ = try await HTTPClient().get("http://127.0.0.1:\(port)/x", bodyLimit: 10) }
        #expect(error?.description.contains("127.0.0.1:\(port)") == true, "\(String(describing: error))")
    }
}
