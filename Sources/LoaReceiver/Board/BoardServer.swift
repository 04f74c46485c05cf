import Foundation
import Hummingbird
import LoaDomain
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

    /// Serves until the task is cancelled.
    func run() async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "loa-board"),
            onServerRunning: { [boundPort, settings] channel in
                boundPort.set(channel.localAddress?.port ?? settings.port)
            },
            logger: logger)
        try await app.run()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/") { _, _ -> Response in
            Self.response(BoardPage.document(await source.boardSnapshot()), type: "text/html; charset=utf-8")
        }
        router.get("/board.json") { _, _ -> Response in
            let json = try WireCoding.encode(BoardJSON(await source.boardSnapshot()))
            return Self.response(String(decoding: json, as: UTF8.self), type: "application/json; charset=utf-8")
        }
        router.get("/attachments/:sha256") { _, context -> Response in
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), let file = await source.attachment(sha256: sha256) else {
                throw HTTPError(.notFound, message: "no attachment \(sha256) on the board")
            }
            var headers = Self.headers(type: file.contentType)
            headers[.cacheControl] = "max-age=86400, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        // A plain form or a foreign page cannot send JSON here without a CORS preflight, which is never granted.
        router.post("/displayed") { request, _ -> Response in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw HTTPError(.unsupportedMediaType, message: "send {\"ids\": [...]} as application/json")
            }
            let body = try await request.body.collect(upTo: Self.maximumReport)
            let report: DisplayReport
            do {
                report = try JSONDecoder().decode(DisplayReport.self, from: Data(body.readableBytesView))
            } catch {
                throw HTTPError(.badRequest, message: "expected {\"ids\": [\"notice@hamlet\", …]}")
            }
            await source.pageShowed(report.ids)
            return Response(status: .noContent)
        }
        return router
    }

    /// `POST /displayed`: the notices in the page's rotation.
    struct DisplayReport: Decodable {
        var ids: [String]
    }

    private static func response(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: headers(type: type), body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// No caching of the page, no framing, nothing loaded from elsewhere.
    private static func headers(type: String) -> HTTPFields {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[HTTPFields.Element.Name("Content-Security-Policy")!] =
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            + "connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
        headers[HTTPFields.Element.Name("X-Content-Type-Options")!] = "nosniff"
        return headers
    }
}
