public import Foundation
public import Hummingbird
import LoaController
import LoaProtocol
import Logging
import NIOEmbedded
import Synchronization

/// Sends requests straight to a router's responder, without a socket: each request
/// goes through the middleware and routes as it would from a browser, on an embedded
/// channel (no peer address).
public struct RouterClient<Context: RequestContext>: Sendable where Context.Source == ApplicationRequestContextSource {
    private let responder: RouterResponder<Context>
    private let logger = Logger(label: "loa.test.router")

    /// A client of `router`.
    public init(_ router: Router<Context>) { responder = router.buildResponder() }

    /// What came back.
    public struct Reply: Sendable {
        /// The status code, e.g. 201.
        public var status: Int
        public var headers: HTTPFields
        public var body: Data
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request; `bearer` goes in `Authorization: Bearer …`.
    public func send(
        _ method: HTTPRequest.Method, _ path: String, bearer: String? = nil, headers: HTTPFields = [:], body: Data? = nil
    ) async throws -> Reply {
        var fields = headers
        if let bearer { fields[.authorization] = "Bearer \(bearer)" }
        if let body { fields[.contentLength] = "\(body.count)" }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: fields),
            body: RequestBody(buffer: ByteBuffer(bytes: body ?? Data())))
        let context = Context(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let collected = CollectedBody()
        try await response.body.write(collected)
        return Reply(status: response.status.code, headers: response.headers, body: collected.bytes)
    }

    /// `GET path`.
    public func get(_ path: String, bearer: String? = nil) async throws -> Reply {
        try await send(.get, path, bearer: bearer)
    }

    /// `POST path` with `body` as it is.
    public func post(_ path: String, bearer: String? = nil, body: Data) async throws -> Reply {
        try await send(.post, path, bearer: bearer, body: body)
    }

    /// `POST path` with `value` as JSON.
    public func post<Body: Encodable>(_ path: String, bearer: String? = nil, json value: Body) async throws -> Reply {
        try await send(.post, path, bearer: bearer, json: value)
    }

    /// Sends `value` as JSON (`WireCoding`: dates as Loa writes them).
    public func send<Body: Encodable>(
        _ method: HTTPRequest.Method, _ path: String, bearer: String? = nil, json value: Body
    ) async throws -> Reply {
        try await send(
            method, path, bearer: bearer, headers: [.contentType: "application/json"], body: try WireCoding.encode(value))
    }
}

/// A response body, collected.
private final class CollectedBody: ResponseBodyWriter, Sendable {
    private let buffer = Mutex(Data())

    var bytes: Data { buffer.withLock { $0 } }

    func write(_ chunk: ByteBuffer) async throws {
        buffer.withLock { $0.append(contentsOf: chunk.readableBytesView) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
