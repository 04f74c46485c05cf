import Foundation
public import Hummingbird
import LoaProtocol

/// The controller's HTTP surface: media for receivers, the public transparency log,
/// metrics, console login, and the JSON API (`/api/v1`), one `add…Routes` per concern.
/// `docs/api.md` lists the routes; `OpenAPI/openapi.yaml` describes them.
public enum ControllerRouter {
    /// Builds the router.
    /// - Parameters:
    ///   - controller: the controller the API acts on.
    ///   - apiToken: the bootstrap token (`api-token`): the `admin` user. Console
    ///     users' tokens are looked up in the store.
    ///   - extraRoutes: routes of a module above the controller (the web console).
    public static func make(controller: Controller, apiToken: String, extraRoutes: ControllerRouteAdder? = nil) -> Router<ControllerRequestContext> {
        let router = Router(context: ControllerRequestContext.self)
        router.add(middleware: ErrorWordingMiddleware())
        // Console sessions: a name and password give a cookie; see docs/security.md.
        let sessions = SessionCookies(
            store: controller.store, secure: controller.configuration.http.secureCookies ?? false)
        let authentication = AuthenticationMiddleware(
            adminToken: apiToken, store: controller.store, sessions: sessions, clock: controller.clock)

        addPublicRoutes(to: router, controller: controller)
        addReceiverRoutes(to: router, controller: controller)
        addRelayRoutes(to: router, controller: controller)
        addOpenAPIRoutes(to: router)
        addMetricsRoutes(to: router.group("metrics").add(middleware: authentication), controller: controller)
        LoginRoutes(store: controller.store, sessions: sessions, clock: controller.clock).add(to: router)

        // Every API route needs a user; each states which roles may use it (`APIPermission`).
        let api = router.group("api/v1").add(middleware: authentication)
        addMediaRoutes(to: api, controller: controller)
        addAnnouncementRoutes(to: api, controller: controller)
        addDeviceRoutes(to: api, controller: controller)
        addLogRoutes(to: api, controller: controller)
        addScheduleRoutes(to: api, controller: controller)
        addPlanRoutes(to: api, controller: controller)
        addReportRoutes(to: api, controller: controller)
        addDeliveryRoutes(to: api, controller: controller)
        addLiveRoutes(to: api, controller: controller)
        addUserRoutes(to: api, controller: controller)
        addKeyRoutes(public: router, api: api, controller: controller)
        extraRoutes?(router, controller)
        return router
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        json(encoded: try WireCoding.encode(value), status: status)
    }

    /// A JSON response of bytes already encoded (e.g. by `RequestWork`, off the shared pool).
    static func json(encoded: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: encoded)))
    }

    /// A response of `text` with its content type.
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
