/// A request as ``HTTPServer`` hands it over: its head read and checked, its whole body
/// (at most ``HTTPServerLimits/bodyLimit`` bytes) read.
public struct HTTPServerRequest: Sendable, Equatable {
    /// `GET`, `POST`…, as sent (methods are case-sensitive).
    public var method: String
    /// The target's path, without its query: `/board.json`.
    public var path: String
    /// What followed `?` in the target, if anything.
    public var query: String?
    public var fields: [HTTPField]
    public var body: [UInt8]

    public init(method: String, path: String, query: String? = nil, fields: [HTTPField] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.fields = fields
        self.body = body
    }

    /// The value of the first field named `name` (case-insensitive), trimmed.
    public func value(of name: String) -> String? { fields.value(of: name) }

    /// The request line and fields in `head`, and how many body bytes follow.
    /// - Throws: the answer to give instead (400, 411, 413, 505), saying what would be right.
    static func parse(_ head: ArraySlice<UInt8>, bodyLimit: Int) throws(HTTPRefusal) -> (request: HTTPServerRequest, bodyLength: Int) {
        let parsed: HTTPHead
        do {
            parsed = try HTTPHead.parse(head)
        } catch {
            throw HTTPRefusal(400, error.reason)
        }
        let parts = parsed.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && ($0.isUppercase || $0 == "-") }),
            parts[1].hasPrefix("/")
        else {
            throw HTTPRefusal(400, "the request line \"\(parsed.startLine.prefix(80))\" is not METHOD /path HTTP/1.1")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            throw HTTPRefusal(505, "\(parts[2].prefix(20)) is not spoken here: send HTTP/1.1")
        }
        let target = parts[1]
        let question = target.firstIndex(of: "?")
        let request = HTTPServerRequest(
            method: String(parts[0]), path: String(target[..<(question ?? target.endIndex)]),
            query: question.map { String(target[target.index(after: $0)...]) }, fields: parsed.fields)
        if request.value(of: "Transfer-Encoding") != nil {
            throw HTTPRefusal(411, "send the body with a Content-Length, not in chunks")
        }
        let lengths = Set(parsed.fields.filter { $0.name.lowercased() == "content-length" }.map(\.value))
        guard lengths.count <= 1 else { throw HTTPRefusal(400, "the request has Content-Length fields that differ") }
        guard let length = lengths.first else { return (request, 0) }
        guard !length.isEmpty, length.count <= 18, length.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(length) else {
            throw HTTPRefusal(400, "Content-Length \(length.prefix(40)) is not a count of bytes")
        }
        guard count <= bodyLimit else { throw HTTPRefusal(413, "the body is \(count) bytes; at most \(bodyLimit) are taken") }
        return (request, count)
    }
}

/// A request refused before it reached the handler, with the status and reason to answer.
struct HTTPRefusal: Error {
    var response: HTTPServerResponse

    init(_ status: Int, _ reason: String) {
        response = .text(status, reason)
    }
}
