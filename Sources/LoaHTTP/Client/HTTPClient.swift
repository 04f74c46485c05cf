/// `GET` requests from async code, each on a connection of its own, its blocking reads
/// on a thread of its own; cancelling the asking task stops the exchange within
/// ``HTTPCancellation/checkInterval``.
///
/// The receiver's client for its controller (documents, clock readings, chunk lists,
/// media): small, with TLS through OpenSSL, so that a device needs neither URLSession
/// nor libcurl (docs/receiver-devices.md).
public struct HTTPClient: Sendable {
    /// For `https://`: the CA certificates (PEM) to trust; nil: the system's.
    public var caFile: String?
    public var connectTimeout: Duration
    /// How long the server may stay silent: before its answer, and between pieces of the body.
    public var idleTimeout: Duration

    public init(caFile: String? = nil, connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(20)) {
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }

    /// An answer with its whole body.
    public struct Response: Sendable {
        public var head: HTTPResponseHead
        public var body: [UInt8]
        public var status: Int { head.status }
    }

    /// `GET url` with its whole body, which may be at most `bodyLimit` bytes.
    /// - Throws: ``HTTPClientError``.
    public func get(_ url: String, fields: [HTTPField] = [], bodyLimit: Int) async throws -> Response {
        try await exchange(url, fields: fields) { connection, idleTimeout in
            var body: [UInt8] = []
            try Self.readBody(of: connection, url: url, idleTimeout: idleTimeout) { piece throws(HTTPClientError) in
                guard body.count + piece.count <= bodyLimit else { throw .tooLarge(url: url, limit: bodyLimit) }
                body += piece
            }
            return Response(head: connection.head, body: body)
        }
    }

    /// `GET url`, its body handed to the sink that `accept` makes from the answer's head
    /// (`accept` throws to refuse the answer), a piece at a time as it arrives.
    /// - Throws: ``HTTPClientError``, or what `accept` or the sink threw.
    public func get<Sink: HTTPBodySink>(
        _ url: String, fields: [HTTPField] = [], streamingTo accept: @escaping @Sendable (HTTPResponseHead) throws -> Sink
    ) async throws {
        try await exchange(url, fields: fields) { connection, idleTimeout in
            var sink = try accept(connection.head)
            try Self.readBody(of: connection, url: url, idleTimeout: idleTimeout) { piece in try sink.write(piece) }
            try sink.finish()
        }
    }

    private static func readBody(
        of connection: HTTPClientConnection, url: String, idleTimeout: Duration, _ take: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            switch try connection.readBody(into: &buffer, waitingAtMost: idleTimeout) {
            case .bytes(let count): try take(buffer[0..<count])
            case .nothingYet: throw HTTPClientError.timedOut(url: url, reason: "nothing arrived for \(idleTimeout)")
            case .ended: return
            }
        }
    }

    private func exchange<Result: Sendable>(
        _ url: String, fields: [HTTPField],
        _ work: @escaping @Sendable (HTTPClientConnection, Duration) throws -> Result
    ) async throws -> Result {
        let cancellation = HTTPCancellation()
        let settings = self
        return try await withTaskCancellationHandler {
            try await onThreadOfItsOwn("loa.http-client") {
                Swift.Result {
                    let connection = try HTTPClientConnection(
                        url: url, fields: fields, caFile: settings.caFile, connectTimeout: settings.connectTimeout,
                        answerTimeout: settings.idleTimeout, cancellation: cancellation)
                    return try work(connection, settings.idleTimeout)
                }
            }.get()
        } onCancel: {
            cancellation.cancel()
        }
    }
}

/// Where a streamed body goes, made from the answer's head and used on one thread.
public protocol HTTPBodySink: SendableMetatype {
    /// Takes the next piece of the body.
    mutating func write(_ piece: ArraySlice<UInt8>) throws
    /// Called once the whole body has arrived.
    mutating func finish() throws
}
