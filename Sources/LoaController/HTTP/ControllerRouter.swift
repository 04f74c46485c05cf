import Foundation
public import Hummingbird
import LoaDomain
import LoaProtocol
import LoaStore
import LoaTransparency

/// The controller's HTTP surface: media for receivers, and the JSON API (`/api/v1`).
public enum ControllerRouter {
    /// Largest upload accepted: 100 MB is over an hour of MP3.
    static let maximumUpload = 100 * 1024 * 1024

    /// Builds the router.
    /// - Parameters:
    ///   - controller: the controller the API acts on.
    ///   - apiToken: the bootstrap token (`api-token`): the `admin` user. Console
    ///     users' tokens are looked up in the store.
    ///   - extraRoutes: routes of a module above the controller (the web console).
    public static func make(controller: Controller, apiToken: String, extraRoutes: ControllerRouteAdder? = nil) -> Router<ControllerRequestContext> {
        let router = Router(context: ControllerRequestContext.self)
        router.get("/healthz") { _, _ in "ok" }

        // Receivers fetch audio by hash with their device token; the hash is what they verify.
        router.get("/media/:sha256") { request, context -> Response in
            guard let device = request.headers[.authorization].flatMap({ controller.mediaAccess.device(authorization: $0) })
            else { throw HTTPError(.unauthorized, message: "a device media token is required (Authorization: Bearer DEVICE:TOKEN)") }
            guard !controller.mediaAccess.isRevoked(device) else {
                throw HTTPError(.forbidden, message: "device \(device) is revoked")
            }
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), let reference = try controller.store.media(sha256: sha256),
                let data = controller.media.data(for: sha256)
            else { throw HTTPError(.notFound, message: "no media with sha256 \(sha256)") }
            return Response(
                status: .ok, headers: [.contentType: reference.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        // The transparency log is public: anyone may fetch and check it.
        router.get("/log/checkpoint") { _, _ -> Response in
            guard let note = try controller.store.latestCheckpoint() else {
                throw HTTPError(.notFound, message: "the log has no entry yet")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: note)))
        }
        router.get("/log/key") { _, _ -> String in controller.store.verifierKey.text + "\n" }
        // Rows as docs/transparency.md gives them: {index, entry, leafHash, chainHash}, bytes in base64.
        router.get("/log/entries") { request, _ -> Response in
            let from = request.uri.queryParameters["from"].flatMap { UInt64($0) } ?? 0
            let count = min(request.uri.queryParameters["count"].flatMap { UInt64($0) } ?? 1000, 10_000)
            return try json(controller.store.logRecords(in: from..<(from + count)))
        }
        router.get("/log/proof/inclusion/:index") { _, context -> Response in
            guard let index = context.parameters.get("index", as: UInt64.self) else {
                throw HTTPError(.badRequest, message: "the entry index must be a whole number")
            }
            do {
                return try json(controller.store.inclusionProof(index: index))
            } catch let error as LogQueryError {
                throw HTTPError(.notFound, message: error.description)
            }
        }
        router.get("/log/proof/consistency") { request, _ -> Response in
            guard let from = request.uri.queryParameters["from"].flatMap({ UInt64($0) }),
                let to = request.uri.queryParameters["to"].flatMap({ UInt64($0) })
            else { throw HTTPError(.badRequest, message: "give ?from=OLD_SIZE&to=NEW_SIZE") }
            do {
                return try json(controller.store.consistencyProof(from: from, to: to))
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
        }

        // Console sessions: a name and password give a cookie; see docs/security.md.
        let sessions = SessionCookies(
            store: controller.store, secure: controller.configuration.http.secureCookies ?? false)
        LoginRoutes(store: controller.store, sessions: sessions, clock: controller.clock).add(to: router)

        // Every API route needs a user; each states which roles may use it (`APIPermission`).
        let api = router.group("api/v1").add(middleware: AuthenticationMiddleware(
            adminToken: apiToken, store: controller.store, sessions: sessions, clock: controller.clock))
        api.post("media", needs: .uploadMedia) { request, _, _ -> Response in
            let body = try await request.body.collect(upTo: maximumUpload)
            do {
                return try json(controller.addMedia(Data(body.readableBytesView)), status: .created)
            } catch let error as ControllerError {
                throw HTTPError(.unprocessableContent, message: error.description)
            }
        }
        api.post("announcements", needs: .announce) { request, _, _ -> Response in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            let announcementRequest: AnnouncementRequest
            do {
                announcementRequest = try WireCoding.decode(AnnouncementRequest.self, from: Data(body.readableBytesView))
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            // Two people for an emergency: it goes through a schedule and two approvers.
            guard announcementRequest.priority != .emergency else {
                throw HTTPError(.unprocessableContent, message: Self.emergencyNeedsTwoApprovers)
            }
            do {
                return try json(await controller.announce(announcementRequest), status: .created)
            } catch let error as ControllerError {
                throw HTTPError(.unprocessableContent, message: error.description)
            }
        }
        api.get("events", needs: .readEvents) { request, _, _ -> Response in
            let item = request.uri.queryParameters["item"].map(String.init)
            let device = request.uri.queryParameters["device"].map(String.init)
            return try json(controller.store.events(item: item, device: device))
        }
        api.post("log/checkpoint", needs: .signCheckpoint) { _, _, _ -> Response in
            Response(
                status: .created, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try await controller.publishCheckpoint())))
        }
        api.get("devices", needs: .readDevices) { _, _, _ -> Response in
            try json(controller.store.devices())
        }
        addScheduleRoutes(to: api, controller: controller)
        addKeyRoutes(public: router, api: api, controller: controller)
        addDeliveryRoutes(to: api, controller: controller)
        extraRoutes?(router, controller)
        return router
    }

    /// Why a one-off emergency announcement is refused.
    static let emergencyNeedsTwoApprovers =
        "Tin khẩn cấp cần hai người duyệt: đưa vào lịch (loa schedule apply) rồi hai lãnh đạo duyệt (loa schedule approve) "
        + "(an emergency needs two approvers: apply it in a schedule, then two leaders approve it)"

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try WireCoding.encode(value))))
    }
}
