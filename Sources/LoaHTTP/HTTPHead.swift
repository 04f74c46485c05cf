/// The start line and header fields of an HTTP/1.x head, read the same way on both
/// sides: a client reads an answer's, the server a request's.
struct HTTPHead {
    /// The largest head either side reads.
    static let sizeLimit = 16_384

    /// The request line or status line.
    var startLine: Substring
    var fields: [HTTPField]

    /// The head in `bytes` (up to, not including, the blank line).
    /// - Throws: the reason the fields are not HTTP/1.x's `name: value` lines.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPHeadProblem) -> HTTPHead {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        let startLine = lines.popFirst() ?? ""
        var fields: [HTTPField] = []
        for line in lines where !line.isEmpty {
            guard line.first != " " && line.first != "\t" else {
                throw HTTPHeadProblem(reason: "the header line \"\(line.prefix(80))\" is folded onto the one before, which HTTP/1.1 no longer allows")
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                !line[..<colon].contains(where: { $0 == " " || $0 == "\t" })
            else {
                throw HTTPHeadProblem(reason: "the header line \"\(line.prefix(80))\" has no name: value")
            }
            fields.append(HTTPField(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingSpaces()))
        }
        return HTTPHead(startLine: startLine, fields: fields)
    }
}

/// Why a head is not HTTP/1.x.
struct HTTPHeadProblem: Error {
    var reason: String
}

extension [HTTPField] {
    /// The value of the first field named `name` (case-insensitive), trimmed.
    func value(of name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
