import Foundation
import Hummingbird
import LoaController
import LoaStore

/// The province's web console under `/province`, served by every controller on the
/// province's shared PostgreSQL database: province accounts sign in, an officer
/// proposes an emergency to chosen communes, two other approvers approve it (the
/// second approval sends it), anyone withdraws it, and each commune's take-up and
/// receivers are followed. On SQLite the pages say what they need. See docs/province.md.
struct ProvinceConsoleRoutes: Sendable {
    let controller: Controller
    let access: ProvinceSessionAccess?

    init(controller: Controller) {
        self.controller = controller
        access = controller.provinceDesk.map { ProvinceSessionAccess(desk: $0, controller: controller) }
    }

    func add(to router: Router<ControllerRequestContext>) {
        router.get("/province") { request, _ in
            try await page(request) { context, _ in try await ProvinceDeskPage(context: context).render() }
        }
        router.post("/province/emergencies") { request, _ in
            try await page(request) { context, form in try await ProvinceDeskPage(context: context).propose(form) }
        }
        router.get("/province/emergencies/:id") { request, routing in
            let id = try routing.parameters.require("id")
            return try await page(request) { context, _ in
                try await ProvinceEmergencyPage(context: context, id: id).render(flash: request.uri.queryParameters.get("done"))
            }
        }
        router.get("/province/emergencies/:id/speech") { request, routing in
            let id = try routing.parameters.require("id")
            return try await page(request) { context, _ in try await ProvinceEmergencyPage(context: context, id: id).speech() }
        }
        router.post("/province/emergencies/:id/approve") { request, routing in
            let id = try routing.parameters.require("id")
            return try await page(request) { context, _ in try await ProvinceEmergencyPage(context: context, id: id).approve() }
        }
        router.post("/province/emergencies/:id/withdraw") { request, routing in
            let id = try routing.parameters.require("id")
            return try await page(request) { context, _ in try await ProvinceEmergencyPage(context: context, id: id).withdraw() }
        }
        router.get("/province/accounts") { request, _ in
            try await page(request) { context, _ in
                try await ProvinceAccountsPage(context: context).render(flash: request.uri.queryParameters.get("done"))
            }
        }
        router.post("/province/accounts") { request, _ in
            try await page(request) { context, form in try await ProvinceAccountsPage(context: context).add(form) }
        }
        router.post("/province/accounts/password") { request, _ in
            try await page(request) { context, form in try await ProvinceAccountsPage(context: context).setPassword(form) }
        }
        router.post("/province/accounts/roles") { request, _ in
            try await page(request) { context, form in try await ProvinceAccountsPage(context: context).setRoles(form) }
        }
        for (action, active) in [("disable", false), ("enable", true)] {
            router.post("/province/accounts/:name/\(action)") { request, routing in
                let name = try routing.parameters.require("name")
                return try await page(request) { context, _ in try await ProvinceAccountsPage(context: context).setActive(name, active) }
            }
        }
        router.get("/province/login") { request, _ in try signInPage(request) }
        router.post("/province/login") { request, routing in try await signIn(request, address: routing.clientAddress) }
        router.post("/province/logout") { request, routing in try await signOut(request, address: routing.clientAddress) }
    }

    /// Runs `render` for a signed-in province account; else the sign-in page. A POST is
    /// checked for its origin and CSRF token, and its form read.
    private func page(_ request: Request, render: (ProvincePageContext, WebForm) async throws -> Response) async throws -> Response {
        guard let (access, desk) = provinceParts() else { return try notOnThisDatabase(request) }
        guard let (_, session) = try await access.session(of: request) else {
            return .redirect(to: "/province/login", type: .found)
        }
        let context = context(request, desk: desk, session: session)
        var form = WebForm("")
        if request.method == .post {
            var request = request
            form = WebForm(String(buffer: try await request.collectBody(upTo: 64 * 1024)))
            try access.verify(request, form: form[ProvinceSessionAccess.csrfField], session: session)
        }
        return try await render(context, form)
    }

    /// The sessions and the desk; nil on an engine without a province (SQLite).
    private func provinceParts() -> (ProvinceSessionAccess, any ProvinceConsoleStore)? {
        guard let access, let desk = controller.provinceDesk else { return nil }
        return (access, desk)
    }

    private func context(_ request: Request, desk: any ProvinceConsoleStore, session: ProvinceSession?) -> ProvincePageContext {
        ProvincePageContext(
            controller: controller, desk: desk, language: ConsoleLanguage(of: request), signedIn: session, path: request.uri.description)
    }

    private func notOnThisDatabase(_ request: Request) throws -> Response {
        let language = ConsoleLanguage(of: request)
        return Layout.respond(
            "<!DOCTYPE html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\"><title>\(language(.brand))</title></head><body><p>\(language(.needsPostgres))</p></body></html>",
            language: language, status: .notFound)
    }

    private func signInPage(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let (_, desk) = provinceParts() else { return try notOnThisDatabase(request) }
        let context = context(request, desk: desk, session: nil)
        let body: HTML = """
            <section class="login">
            <p class="muted">\(context(.loginHint))</p>
            \(problem.map { "<p class=\"alert\" role=\"alert\">\($0)</p>" as HTML })
            <form method="post" action="/province/login" class="stack">
            <label for="name">\(context.language(.userName))</label>
            <input type="text" id="name" name="name" autocomplete="username" required autofocus>
            <label for="password">\(context.language(.password))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <div class="actions"><button type="submit" class="primary">\(context.language(.login))</button></div>
            </form>
            </section>
            """
        return context.page(title: context(.loginTitle), status: status, body: body)
    }

    private func signIn(_ request: Request, address: String?) async throws -> Response {
        guard let (access, _) = provinceParts() else { return try notOnThisDatabase(request) }
        try access.checkOrigin(request)
        var request = request
        let form = WebForm(String(buffer: try await request.collectBody(upTo: 64 * 1024)))
        let language = ConsoleLanguage(of: request)
        do {
            let started = try await access.signIn(name: form["name"] ?? "", password: form["password"] ?? "", from: address)
            var response = Response.redirect(to: "/province", type: .normal)
            response.setCookie(access.cookie(for: started.id))
            return response
        } catch ProvinceSessionAccess.SignInRefusal.wrongCredentials {
            return try signInPage(request, problem: language(ProvincePhrase.wrongLogin), status: .unauthorized)
        } catch ProvinceSessionAccess.SignInRefusal.throttled(let seconds) {
            return try signInPage(request, problem: "\(language(.tooManyFailures)) \(seconds)", status: .tooManyRequests)
        }
    }

    private func signOut(_ request: Request, address: String?) async throws -> Response {
        guard let (access, _) = provinceParts() else { return try notOnThisDatabase(request) }
        if let (id, session) = try await access.session(of: request) {
            var request = request
            let form = WebForm(String(buffer: try await request.collectBody(upTo: 64 * 1024)))
            try access.verify(request, form: form[ProvinceSessionAccess.csrfField], session: session)
            try await access.signOut(id: id, from: address)
        }
        var response = Response.redirect(to: "/province/login", type: .normal)
        response.setCookie(access.clearingCookie())
        return response
    }
}
