import Foundation
public import Hummingbird
import LoaDomain
import LoaProtocol
import LoaStore

/// The controller's HTTP surface: media for receivers, and the JSON API (`/api/v1`).
public enum ControllerRouter {
    /// Largest upload accepted: 100 MB is over an hour of MP3.
    static let maximumUpload = 100 * 1024 * 1024

    /// Builds the router.
    /// - Parameters:
    ///   - controller: the controller the API acts on.
    ///   - apiToken: the bearer token the API requires.
    public static func make(controller: Controller, apiToken: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }

        // Receivers fetch audio by hash; the hash itself is what they verify.
        router.get("/media/:sha256") { _, context -> Response in
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), let reference = try controller.store.media(sha256: sha256),
                let data = controller.media.data(for: sha256)
            else { throw HTTPError(.notFound, message: "no media with sha256 \(sha256)") }
            return Response(
                status: .ok, headers: [.contentType: reference.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        let api = router.group("api/v1").add(middleware: BearerTokenMiddleware(token: apiToken))
        api.post("media") { request, _ -> Response in
            let body = try await request.body.collect(upTo: maximumUpload)
            do {
                return try json(controller.addMedia(Data(body.readableBytesView)), status: .created)
            } catch let error as ControllerError {
                throw HTTPError(.unprocessableContent, message: error.description)
            }
        }
        api.post("announcements") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            let announcementRequest: AnnouncementRequest
            do {
                announcementRequest = try WireCoding.decode(AnnouncementRequest.self, from: Data(body.readableBytesView))
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            do {
                return try json(await controller.announce(announcementRequest), status: .created)
            } catch let error as ControllerError {
                throw HTTPError(.unprocessableContent, message: error.description)
            }
        }
        api.get("events") { request, _ -> Response in
            let item = request.uri.queryParameters["item"].map(String.init)
            let device = request.uri.queryParameters["device"].map(String.init)
            return try json(controller.store.events(item: item, device: device))
        }
        api.get("devices") { _, _ -> Response in
            try json(controller.store.devices())
        }
        return router
    }

    private static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try WireCoding.encode(value))))
    }
}

/// Refuses API requests without `Authorization: Bearer <token>`.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let expected = "Bearer \(token)"
        guard let given = request.headers[.authorization], constantTimeEqual(given, expected) else {
            throw HTTPError(.unauthorized, message: "missing or wrong API token (Authorization: Bearer …)")
        }
        return try await next(request, context)
    }

    private func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
