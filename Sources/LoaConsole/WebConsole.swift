import Foundation
import Hummingbird
public import LoaController
import LoaDomain
import LoaStore

/// The officer's web console: server-rendered pages under `/console`, Vietnamese
/// first with an English switch, and the public transparency page at `/transparency`.
/// See docs/console.md.
public enum WebConsole {
    /// Adds the console's routes; pass this to `ControllerApp.run(extraRoutes:)`.
    public static let routes: ControllerRouteAdder = { router, controller in
        WebConsoleRoutes(controller: controller).add(to: router)
        ProvinceConsoleRoutes(controller: controller).add(to: router)
    }
}

/// The console's routes on one controller.
struct WebConsoleRoutes: Sendable {
    let controller: Controller
    let sessions: WebSessionAccess

    init(controller: Controller) {
        self.controller = controller
        sessions = WebSessionAccess(controller: controller)
    }

    func add(to router: Router<ControllerRequestContext>) {
        ConsoleAssets.add(to: router)
        router.get("/console") { _, _ in Response.redirect(to: ConsolePage.dashboard.path, type: .found) }
        router.get("/console/login") { request, _ in try await loginPage(request) }
        router.post("/console/logout") { request, _ in try await logout(request) }
        router.get("/transparency") { request, _ in try await TransparencyPage(context: publicContext(request), request: request).render() }
        router.get(RouterPath(stringLiteral: ConsolePage.dashboard.path)) { request, _ in
            try await page(.dashboard, request) { context, _ in try await DashboardPage(context: context, request: request).render() }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.newAnnouncement.path)) { request, _ in
            try await page(.newAnnouncement, request) { context, _ in try await AnnouncementPage(context: context).render(form: nil) }
        }
        router.post("/console/announcements") { request, _ in
            try await page(.newAnnouncement, request) { context, form in
                try await AnnouncementPage(context: context).handle(form ?? WebForm(""))
            }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.emergency.path)) { request, _ in
            try await page(.emergency, request) { context, _ in try await EmergencyPage(context: context, request: request).render() }
        }
        router.post(RouterPath(stringLiteral: ConsolePage.emergency.path)) { request, _ in
            try await page(.emergency, request) { context, form in
                try await EmergencyPage(context: context, request: request).handle(form ?? WebForm(""))
            }
        }
        router.post("/console/emergency/cancel") { request, _ in
            try await page(.emergency, request) { context, form in
                try await EmergencyPage(context: context, request: request).cancel(form ?? WebForm(""))
            }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.calendar.path)) { request, _ in
            try await page(.calendar, request) { context, _ in try await CalendarPage(context: context, request: request).render() }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.logs.path)) { request, _ in
            try await page(.logs, request) { context, _ in try await LogsPage(context: context, request: request).render() }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.approvals.path)) { request, _ in
            try await page(.approvals, request) { context, _ in try await ApprovalsPage(context: context, request: request).render() }
        }
        router.post(RouterPath(stringLiteral: ConsolePage.approvals.path)) { request, _ in
            try await page(.approvals, request) { context, form in
                try await ApprovalsPage(context: context, request: request).approve(form ?? WebForm(""))
            }
        }
        router.post("/console/approvals/reject") { request, _ in
            try await page(.approvals, request) { context, form in
                try await ApprovalsPage(context: context, request: request).reject(form ?? WebForm(""))
            }
        }
        router.get(RouterPath(stringLiteral: ConsolePage.delivery.path)) { request, _ in
            try await page(.delivery, request) { context, _ in try await DeliveryPage(context: context, request: request).render() }
        }
        router.get("/console/media/:sha256") { request, context in try await media(request, context) }
    }

    /// Runs `render` for a signed-in user allowed `page`; else the login page (no session)
    /// or a 403 page (no role). A POST is checked for its CSRF token and origin and its form read.
    private func page(
        _ page: ConsolePage, _ request: Request,
        render: (ConsoleContext, WebForm?) async throws -> Response
    ) async throws -> Response {
        var request = request
        guard let (_, session) = try await sessions.session(of: request) else {
            let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            return .redirect(to: "/console/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", type: .found)
        }
        let context = ConsoleContext(
            controller: controller, language: ConsoleLanguage(of: request), signedIn: (session.user, session),
            path: request.uri.description, names: try await ConsoleNames.load(from: controller))
        guard page.allows(session.user) else { return forbidden(context, page: page) }
        var form: WebForm?
        if request.method == .post {
            try await sessions.verify(&request, session: session)
            let body = try await request.collectBody(upTo: 1024 * 1024)
            form = WebForm(String(buffer: body))
        }
        return try await render(context, form)
    }

    private func publicContext(_ request: Request) async throws -> ConsoleContext {
        let signedIn = try await sessions.session(of: request).map { ($0.session.user, $0.session) }
        return ConsoleContext(
            controller: controller, language: ConsoleLanguage(of: request), signedIn: signedIn, path: request.uri.description,
            names: try await ConsoleNames.load(from: controller))
    }

    private func forbidden(_ context: ConsoleContext, page: ConsolePage) -> Response {
        let roles = (page.permission?.roles ?? []).sorted()
            .map { context.language == .vi ? $0.vietnameseName : $0.rawValue }.joined(separator: ", ")
        return Layout.page(
            context, title: context(.forbiddenTitle), current: nil, status: .forbidden,
            body: "<p class=\"alert\">\(context(.forbiddenBody)) <strong>\(roles)</strong></p>")
    }

    private func loginPage(_ request: Request) async throws -> Response {
        let context = try await publicContext(request)
        let asked = request.uri.queryParameters.get("next").flatMap { $0.removingPercentEncoding }
        let next = asked.flatMap { $0.hasPrefix("/console/") ? $0 : nil } ?? ConsolePage.dashboard.path
        let body: HTML = """
            <section class="login">
            <p class="muted">\(context(.loginHint))</p>
            <form id="login-form" class="stack" method="post" action="/login" data-next="\(next)" data-wrong="\(context(.wrongLogin))">
            <label for="name">\(context(.userName))</label>
            <input type="text" id="name" name="name" autocomplete="username" required autofocus>
            <label for="password">\(context(.password))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <p id="login-error" class="alert" role="alert" hidden></p>
            <div class="actions"><button type="submit" class="primary">\(context(.login))</button></div>
            </form>
            <noscript><p class="alert">\(context(.needsJavaScript))</p></noscript>
            </section>
            """
        return Layout.page(context, title: context(.loginTitle), current: nil, body: body)
    }

    private func logout(_ request: Request) async throws -> Response {
        var request = request
        if let (id, session) = try await sessions.session(of: request) {
            try await sessions.verify(&request, session: session)
            try await controller.store.endSession(id: id, clientAddress: nil, at: controller.now)
        }
        var response = Response.redirect(to: "/console/login", type: .normal)
        response.setCookie(sessions.clearingCookie())
        return response
    }

    /// Audio for the preview and approval players, to signed-in users only.
    private func media(_ request: Request, _ context: ControllerRequestContext) async throws -> Response {
        guard try await sessions.session(of: request) != nil else { throw HTTPError(.unauthorized) }
        let sha256 = try context.parameters.require("sha256")
        guard let reference = try await controller.store.media(sha256: sha256), let data = await controller.media.bytes(sha256: sha256) else {
            throw HTTPError(.notFound)
        }
        return Response(
            status: .ok, headers: [.contentType: reference.contentType, .cacheControl: "private, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
