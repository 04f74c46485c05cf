import Foundation
import HTTPTypes
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// The page shell: `lang` on `<html>`, the stylesheet and script (same origin only,
/// as the Content-Security-Policy demands), the navigation by role, the language switch.
enum Layout {
    /// The policy every console page is served with: nothing from elsewhere, no inline script or style.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A whole page as an HTTP response.
    static func page(
        _ context: ConsoleContext, title: String, current: ConsolePage?, status: HTTPResponse.Status = .ok, body: HTML
    ) -> Response {
        page(
            language: context.language, title: title, brand: context(.appName), header: header(context, current: current),
            status: status, body: body)
    }

    /// A whole page of either console (the commune's, the province's): the document
    /// around `body` with `header`, as an HTTP response with the security headers.
    static func page(
        language: ConsoleLanguage, title: String, brand: String, header: HTML, status: HTTPResponse.Status = .ok, body: HTML
    ) -> Response {
        let html: HTML = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(brand)</title>
            <link rel="stylesheet" href="\(ConsoleAssets.stylePath)">
            <script src="\(ConsoleAssets.scriptPath)" defer></script>
            </head>
            <body>
            \(header)
            <main>
            <h1>\(title)</h1>
            \(body)
            </main>
            </body>
            </html>
            """
        return respond(html, language: language, status: status)
    }

    /// `html` with the console's security headers and the language cookie.
    static func respond(_ html: HTML, language: ConsoleLanguage, status: HTTPResponse.Status = .ok) -> Response {
        var response = Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy,
                .xContentTypeOptions: "nosniff", .referrerPolicy: "same-origin", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html.text)))
        response.setCookie(language.cookie)
        return response
    }

    private static func header(_ context: ConsoleContext, current: ConsolePage?) -> HTML {
        let switchPath = Self.path(context.path, language: context.language.other)
        let languageSwitch: HTML =
            "<a class=\"lang\" href=\"\(switchPath)\" hreflang=\"\(context.language.other.rawValue)\">\(context.language.other.label)</a>"
        guard let user = context.user else {
            return """
                <header><span class="brand">Loa · \(context.controller.configuration.site.name)</span><nav><a href="/transparency">\(context(.transparency))</a></nav>\(languageSwitch)</header>
                """
        }
        let links = ConsolePage.navigation.filter { $0.allows(user) }.map { page -> HTML in
            "<a href=\"\(page.path)\"\(page == current ? HTML(" aria-current=\"page\"") : "")>\(context(page.phrase))</a>"
        }
        let roles = user.sortedRoles.map { context.language == .vi ? $0.vietnameseName : $0.rawValue }.joined(separator: ", ")
        return """
            <header><span class="brand">Loa · \(context.controller.configuration.site.name)</span>
            <nav>\(links)<a href="/transparency">\(context(.transparency))</a></nav>
            <span class="who">\(user.displayName) · \(roles)</span>
            \(languageSwitch)
            <form method="post" action="/console/logout" class="logout">\(context.csrfField)<button type="submit">\(context(.logout))</button></form>
            </header>
            """
    }

    /// `path` with `lang=` set to `language` (other query items kept).
    static func path(_ path: String, language: ConsoleLanguage) -> String {
        var components = URLComponents(string: path) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "lang" }
        items.append(URLQueryItem(name: "lang", value: language.rawValue))
        components.queryItems = items
        return components.string ?? path
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
