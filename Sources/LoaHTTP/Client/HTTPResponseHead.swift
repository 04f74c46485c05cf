/// An answer's status line and header fields.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var fields: [HTTPField]

    /// The value of the first field named `name` (case-insensitive), trimmed.
    public func value(of name: String) -> String? { fields.value(of: name) }

    /// The answer's head in `bytes` (up to, not including, the blank line).
    /// - Throws: `.malformed` when the status line or a field is not HTTP/1.x.
    static func parse(_ bytes: ArraySlice<UInt8>, url: String) throws(HTTPClientError) -> HTTPResponseHead {
        let head: HTTPHead
        do {
            head = try HTTPHead.parse(bytes)
        } catch {
            throw .malformed(url: url, reason: error.reason)
        }
        let parts = head.startLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw .malformed(url: url, reason: "the status line is \"\(head.startLine.prefix(80))\", not HTTP/1.x NNN")
        }
        return HTTPResponseHead(status: status, fields: head.fields)
    }

    /// How the body after this head ends.
    func framing(url: String) throws(HTTPClientError) -> BodyFraming {
        if (100..<200).contains(status) || status == 204 || status == 304 { return .none }
        if let coding = value(of: "Transfer-Encoding")?.lowercased() {
            guard coding.split(separator: ",").last?.trimmingSpaces() == "chunked" else {
                throw .malformed(url: url, reason: "Transfer-Encoding \(coding) is not read (chunked is)")
            }
            return .chunked(ChunkedBodyDecoder())
        }
        if let length = value(of: "Content-Length") {
            guard let count = Int(length), count >= 0 else {
                throw .malformed(url: url, reason: "Content-Length \(length.prefix(40)) is not a count of bytes")
            }
            return .length(remaining: count)
        }
        return .untilClose
    }
}

/// How a body's end is known.
enum BodyFraming {
    case none
    case length(remaining: Int)
    case chunked(ChunkedBodyDecoder)
    /// Neither length nor chunks: the body ends when the server closes.
    case untilClose
}
