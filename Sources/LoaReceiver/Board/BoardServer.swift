#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain
import LoaHTTP
import LoaProtocol
import Logging
import Synchronization

/// What the board's HTTP server shows and where it reports (the receiver).
protocol BoardSource: Sendable {
    /// The board now.
    func boardSnapshot() async -> BoardSnapshot
    /// The page reports showing these notices.
    func pageShowed(_ ids: [String]) async
    /// The verified bytes and type of an attachment of a notice shown now; nil for anything else.
    func attachment(sha256: String) async -> (data: Data, contentType: String)?
}

/// The notice board's HTTP server for the kiosk browser: `GET /` (the page), `GET /board.json`,
/// `GET /attachments/{sha256}` and `POST /displayed`, nothing else. It has no login and no
/// form, so it binds the loopback address unless told otherwise.
///
/// It runs on `LoaHTTP`'s small server, not on SwiftNIO, so that a board loads no event
/// loops for four routes (docs/receiver-devices.md) and stopping it never races a request.
struct BoardServer: Sendable {
    /// Largest `POST /displayed` body.
    static let maximumReport = 64 * 1024
    /// Attachments shown as pictures; others get a line saying they are posted at the cultural house.
    static let imageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    let settings: BoardSettings
    let source: any BoardSource
    let logger: Logger
    /// The port bound, once serving (useful with port 0).
    let boundPort = BoundPort()

    /// Where the server's port is kept once it is bound.
    final class BoundPort: Sendable {
        private let port = Mutex<Int?>(nil)
        var value: Int? { port.withLock { $0 } }
        func set(_ value: Int) { port.withLock { $0 = value } }
    }

    /// How often a board whose address cannot be bound (another program holds the port, the
    /// address is not up yet) tries again.
    static let bindRetry: Duration = .seconds(5)

    /// Serves until the task is cancelled. While the address cannot be bound it tries again
    /// every ``bindRetry``, saying so once: the board must not stay dark until a restart
    /// because its port was busy at start.
    func run() async {
        var failing = false
        while !Task.isCancelled {
            let server: HTTPServer
            do {
                server = try HTTPServer(host: settings.host, port: settings.port, limits: HTTPServerLimits(bodyLimit: Self.maximumReport))
            } catch {
                if !failing {
                    logger.error("the notice board cannot serve; trying again every \(Self.bindRetry)", metadata: ["error": "\(error)"])
                    failing = true
                }
                do { try await Task.sleep(for: Self.bindRetry) } catch { return }
                continue
            }
            if failing { logger.notice("the notice board serves again", metadata: ["port": "\(server.port)"]) }
            boundPort.set(server.port)
            await server.run { request in await respond(to: request) }
            return
        }
    }

    /// The answer to one request of the kiosk.
    func respond(to request: HTTPServerRequest) async -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/"):
            return Self.response(Array(BoardPage.document(await source.boardSnapshot()).utf8), type: "text/html; charset=utf-8")
        case ("GET", "/board.json"):
            do {
                let json = try WireCoding.encode(BoardJSON(await source.boardSnapshot()))
                return Self.response(Array(json), type: "application/json; charset=utf-8")
            } catch {
                logger.error("the board could not be written as JSON", metadata: ["error": "\(error)"])
                return .text(500, "the board could not be written as JSON")
            }
        case ("GET", let path) where path.hasPrefix("/attachments/"):
            let sha256 = String(path.dropFirst("/attachments/".count))
            guard MediaReference.isSHA256(sha256), let file = await source.attachment(sha256: sha256) else {
                return .text(404, "no attachment \(sha256.prefix(64)) on the board")
            }
            // Named by its hash: the same address never holds other bytes.
            return Self.response(Array(file.data), type: file.contentType, caching: "max-age=86400, immutable")
        // A plain form or a foreign page cannot send JSON here without a CORS preflight, which is never granted.
        case ("POST", "/displayed"):
            guard request.value(of: "Content-Type")?.lowercased().hasPrefix("application/json") == true else {
                return .text(415, "send {\"ids\": [...]} as application/json")
            }
            guard let report = try? JSONDecoder().decode(DisplayReport.self, from: Data(request.body)) else {
                return .text(400, "expected {\"ids\": [\"notice@hamlet\", …]}")
            }
            await source.pageShowed(report.ids)
            return HTTPServerResponse(status: 204)
        case (_, "/"), (_, "/board.json"), (_, "/displayed"):
            let allowed = request.path == "/displayed" ? "POST" : "GET"
            var answer = HTTPServerResponse.text(405, "\(request.method.prefix(20)) \(request.path) is not served; \(allowed) is")
            answer.fields.append(HTTPField(name: "Allow", value: allowed))
            return answer
        default:
            return .text(404, "nothing at \(request.path.prefix(200)) on the board")
        }
    }

    /// `POST /displayed`: the notices in the page's rotation.
    struct DisplayReport: Decodable {
        var ids: [String]
    }

    /// No caching (unless said), no framing, nothing loaded from elsewhere.
    private static func response(_ body: [UInt8], type: String, caching: String = "no-store") -> HTTPServerResponse {
        HTTPServerResponse(
            status: 200,
            fields: [
                HTTPField(name: "Content-Type", value: type), HTTPField(name: "Cache-Control", value: caching),
                HTTPField(
                    name: "Content-Security-Policy",
                    value: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                        + "connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"),
                HTTPField(name: "X-Content-Type-Options", value: "nosniff"),
            ],
            body: body)
    }
}
