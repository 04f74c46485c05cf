extension String {
    /// The text made safe for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`
    /// escaped); shared by every page Loa renders (reports, the notice board).
    public var htmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
