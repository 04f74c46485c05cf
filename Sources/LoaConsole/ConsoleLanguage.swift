import Foundation
import Hummingbird
import LoaDomain

/// The language a page is shown in: Vietnamese unless the user switched to English
/// (`?lang=en`, remembered in the `loa_lang` cookie).
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case vi, en

    /// The cookie that remembers the choice.
    static let cookieName = "loa_lang"

    /// The language of `request`: its `?lang=`, else its cookie, else Vietnamese.
    init(of request: Request) {
        if let asked = request.uri.queryParameters.get("lang").flatMap(ConsoleLanguage.init(rawValue:)) {
            self = asked
        } else {
            self = request.cookies[Self.cookieName].flatMap { ConsoleLanguage(rawValue: $0.value) } ?? .vi
        }
    }

    /// True when the request asks to switch (`?lang=`), so the answer sets the cookie.
    static func isSwitch(_ request: Request) -> Bool { request.uri.queryParameters.get("lang") != nil }

    /// The cookie remembering this language for a year.
    var cookie: Cookie {
        Cookie(name: Self.cookieName, value: rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax)
    }

    /// The text of `phrase` in this language.
    func callAsFunction(_ phrase: Phrase) -> String { self(phrase.text) }

    /// The part of a domain message in this language.
    func callAsFunction(_ text: LocalizedText) -> String { self == .vi ? text.vi : text.en }

    /// A bilingual text from elsewhere ("Vietnamese — English" or "Vietnamese (English)",
    /// as reports, stores and receivers write their reasons) in this language; other text as it is.
    func inLanguage(_ text: String) -> String {
        var halves = text.components(separatedBy: " — ")
        if halves.count < 2, text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) {
            halves = [String(text[..<open.lowerBound]), String(text[open.upperBound...].dropLast())]
        }
        guard halves.count == 2 else { return text }
        return self == .vi ? halves[0] : halves[1]
    }

    /// The other language, offered by the switch.
    var other: ConsoleLanguage { self == .vi ? .en : .vi }

    /// The switch link's label, in the language it switches to.
    var label: String { self == .vi ? "Tiếng Việt" : "English" }
}
