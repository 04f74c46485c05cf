import Synchronization

/// A small HTTP/1.1 server over sockets, for a device's local pages (the notice board's
/// kiosk): one request per connection (`Connection: close`), bodies framed by
/// `Content-Length` only, every limit kept with every client.
///
/// Each connection is read and written on a thread of its own and the handler runs as a
/// task, so a client that sends slowly or not at all holds up no one else; it is answered
/// `408` and dropped after ``HTTPServerLimits/requestTimeout``. Past
/// ``HTTPServerLimits/connections`` open at once, a new one is answered `503` and closed.
/// Cancelling ``run(_:)`` stops accepting, ends the exchanges under way within 100 ms and
/// closes the port.
public final class HTTPServer: Sendable {
    /// The port bound (the one chosen by the system when asked for 0).
    public let port: Int
    public let limits: HTTPServerLimits
    private let listener: ListeningSocket
    private let openConnections = Atomic<Int>(0)

    /// Binds `host`:`port` and listens; ``run(_:)`` serves.
    /// - Throws: ``HTTPServerError`` naming the address when it cannot be bound.
    public init(host: String, port: Int, limits: HTTPServerLimits = HTTPServerLimits()) throws(HTTPServerError) {
        listener = try ListeningSocket(host: host, port: port)
        self.port = listener.port
        self.limits = limits
    }

    /// Serves, answering each request with what `respond` returns, until the task is cancelled.
    public func run(_ respond: @escaping @Sendable (HTTPServerRequest) async -> HTTPServerResponse) async {
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                while let connection = await listener.accept() {
                    guard openConnections.add(1, ordering: .relaxed).newValue <= limits.connections else {
                        openConnections.subtract(1, ordering: .relaxed)
                        ServerExchange.refuseBusy(connection)
                        continue
                    }
                    group.addTask { [limits] in
                        await ServerExchange.serve(connection, limits: limits, respond)
                        self.openConnections.subtract(1, ordering: .relaxed)
                    }
                }
            }
            listener.close()
        } onCancel: {
            listener.stop()
        }
    }
}

/// What ``HTTPServer`` allows each client.
public struct HTTPServerLimits: Sendable {
    /// The largest request body taken; a larger one is answered `413` unread.
    public var bodyLimit: Int
    /// How long a client has to send its whole request, head and body.
    public var requestTimeout: Duration
    /// How long a client has to take the answer.
    public var writeTimeout: Duration
    /// Connections served at once.
    public var connections: Int

    public init(bodyLimit: Int = 64 * 1024, requestTimeout: Duration = .seconds(10), writeTimeout: Duration = .seconds(10), connections: Int = 32) {
        self.bodyLimit = bodyLimit
        self.requestTimeout = requestTimeout
        self.writeTimeout = writeTimeout
        self.connections = connections
    }
}

/// Why a server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// The address could not be bound: in use, not this machine's, or not an address.
    case cannotListen(address: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason): "cannot serve HTTP on \(address): \(reason)"
        }
    }
}
