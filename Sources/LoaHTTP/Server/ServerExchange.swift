#if canImport(Glibc)
import Glibc
#endif

/// One connection of ``HTTPServer``: the request read on a thread of its own, the
/// handler awaited, the answer written on a thread again, then the connection closed.
enum ServerExchange {
    /// What reading a request gave.
    enum Reading: Sendable {
        case request(HTTPServerRequest)
        /// Not a request the handler may see: answer this instead.
        case refused(HTTPServerResponse)
        /// The client left, broke the connection or the server is stopping: nothing to answer.
        case gone
    }

    /// How long a closing connection keeps reading what the client still sends.
    static let lingering: Duration = .seconds(1)

    static func serve(
        _ descriptor: Int32, limits: HTTPServerLimits, _ respond: @escaping @Sendable (HTTPServerRequest) async -> HTTPServerResponse
    ) async {
        let cancellation = HTTPCancellation()
        await withTaskCancellationHandler {
            let reading = await onThreadOfItsOwn("loa.http-server.exchange") { readRequest(descriptor, limits: limits, cancellation: cancellation) }
            let response: HTTPServerResponse? =
                switch reading {
                case .request(let request): await respond(request)
                case .refused(let refusal): refusal
                case .gone: nil
                }
            await onThreadOfItsOwn("loa.http-server.exchange") { finish(descriptor, answering: response, limits: limits, cancellation: cancellation) }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Reads one request, head and body, within ``HTTPServerLimits/requestTimeout``.
    static func readRequest(_ descriptor: Int32, limits: HTTPServerLimits, cancellation: HTTPCancellation) -> Reading {
        let transport = PlainTransport(TCPSocket(borrowing: descriptor, label: "an HTTP client", cancellation: cancellation))
        let deadline = ContinuousClock.now + limits.requestTimeout
        var scratch = [UInt8](repeating: 0, count: 16_384)
        do {
            switch try transport.readHead(until: deadline, scratch: &scratch) {
            case .tooLarge: return .refused(.text(431, "the request's head is over \(HTTPHead.sizeLimit) bytes"))
            case .timedOut: return .refused(late(limits))
            case .closed: return .gone
            case .complete(let head, var body):
                var (request, length) = try HTTPServerRequest.parse(head, bodyLimit: limits.bodyLimit)
                while body.count < length {
                    guard let count = try transport.read(into: &scratch, until: deadline) else { return .refused(late(limits)) }
                    guard count > 0 else { return .gone }
                    body += scratch[0..<count]
                }
                request.body = Array(body.prefix(length))
                return .request(request)
            }
        } catch let refusal as HTTPRefusal {
            return .refused(refusal.response)
        } catch {
            return .gone
        }
    }

    /// The answer to a request that did not arrive whole in time.
    private static func late(_ limits: HTTPServerLimits) -> HTTPServerResponse {
        .text(408, "the request did not arrive whole within \(limits.requestTimeout)")
    }

    /// Writes `response` (if any) within ``HTTPServerLimits/writeTimeout``, then closes.
    ///
    /// The close lingers: the server stops sending, then reads and drops what the client
    /// still sends (a body refused unread) for up to ``lingering``, so that closing does not
    /// reset the connection before the client has read the answer.
    static func finish(_ descriptor: Int32, answering response: HTTPServerResponse?, limits: HTTPServerLimits, cancellation: HTTPCancellation) {
        defer { close(descriptor) }
        guard let response else { return }
        let transport = PlainTransport(TCPSocket(borrowing: descriptor, label: "an HTTP client", cancellation: cancellation))
        do {
            try transport.writeAll(response.serialized(), until: .now + limits.writeTimeout)
            shutdown(descriptor, Int32(SHUT_WR))
            let until = ContinuousClock.now + lingering
            var scratch = [UInt8](repeating: 0, count: 16_384)
            var dropped = 0
            while dropped < 4 * limits.bodyLimit + (1 << 20), let count = try transport.read(into: &scratch, until: until), count > 0 {
                dropped += count
            }
        } catch {
            // The client left or the server is stopping: nothing more to say to it.
        }
    }

    /// Answers `503` at once, without reading the request, and closes: too many connections.
    static func refuseBusy(_ descriptor: Int32) {
        let answer = HTTPServerResponse.text(503, "too many connections at once; try again").serialized()
        _ = answer.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(descriptor)
    }
}
