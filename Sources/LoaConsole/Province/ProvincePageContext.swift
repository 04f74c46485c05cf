import Foundation
import HTTPTypes
import Hummingbird
import LoaController
import LoaStore

/// What a province page is rendered with: the desk, who asks (nil on the sign-in
/// page), in which language, and the serving controller's wall clock.
struct ProvincePageContext: Sendable {
    let controller: Controller
    let desk: any ProvinceConsoleStore
    let language: ConsoleLanguage
    let signedIn: ProvinceSession?
    /// The request's path with its query, for the language switch.
    let path: String

    func callAsFunction(_ phrase: ProvincePhrase) -> String { language(phrase) }

    /// The hidden CSRF field every province form carries.
    var csrfField: HTML {
        "<input type=\"hidden\" name=\"\(ProvinceSessionAccess.csrfField)\" value=\"\(signedIn?.csrfToken ?? "")\">"
    }

    /// An instant on the wall clock: `17:30:05 24/11/2026`.
    func time(_ instant: Date?) -> String { controller.shownTime(instant) }

    /// A role as the page's language names it.
    func role(_ role: ProvinceUser.Role) -> String {
        switch role {
        case .officer: self(.officer)
        case .approver: self(.approver)
        case .admin: self(.administrator)
        }
    }

    /// A whole province page: the shell of the commune console (stylesheet, script,
    /// security headers) with the province's header.
    func page(title: String, status: HTTPResponse.Status = .ok, body: HTML) -> Response {
        let switchPath = Layout.path(path, language: language.other)
        let who: HTML = signedIn.map { session in
            let roles = session.user.roles.sorted().map(role).joined(separator: ", ")
            return """
                <span class="who">\(session.user.displayName) · \(roles)</span>
                <form method="post" action="/province/logout" class="logout">\(csrfField)<button type="submit">\(self(.logout))</button></form>
                """
        } ?? ""
        let header: HTML = """
            <header><span class="brand">\(self(.brand))</span><nav><a href="/province">\(self(.deskTitle))</a>\(
                signedIn?.user.roles.contains(.admin) == true ? "<a href=\"/province/accounts\">\(self(.accountsTitle))</a>" as HTML : "")</nav>\(who)
            <a class="lang" href="\(switchPath)" hreflang="\(language.other.rawValue)">\(language.other.label)</a></header>
            """
        return Layout.page(language: language, title: title, brand: self(.brand), header: header, status: status, body: body)
    }
}
