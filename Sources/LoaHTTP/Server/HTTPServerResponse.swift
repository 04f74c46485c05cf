/// What ``HTTPServer`` sends back: a status, fields and the whole body. The server adds
/// `Content-Length` and `Connection: close` itself.
public struct HTTPServerResponse: Sendable, Equatable {
    public var status: Int
    public var fields: [HTTPField]
    public var body: [UInt8]

    public init(status: Int, fields: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.fields = fields
        self.body = body
    }

    /// A short plain-text answer (UTF-8), as for an error: `404`, "no attachment … on the board".
    public static func text(_ status: Int, _ message: String) -> HTTPServerResponse {
        HTTPServerResponse(
            status: status,
            fields: [
                HTTPField(name: "Content-Type", value: "text/plain; charset=utf-8"), HTTPField(name: "Cache-Control", value: "no-store"),
                // The message may repeat what the client sent (a path): never read it as anything but text.
                HTTPField(name: "X-Content-Type-Options", value: "nosniff"),
            ],
            body: Array((message + "\n").utf8))
    }

    /// The bytes on the wire; with no body for a 1xx, 204 or 304, whose framing has none.
    func serialized() -> [UInt8] {
        let bodiless = (100..<200).contains(status) || status == 204 || status == 304
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for field in fields where !Self.serverOwned.contains(field.name.lowercased()) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if !bodiless { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + (bodiless ? [] : body)
    }

    /// Fields whose value only the server knows.
    private static let serverOwned: Set<String> = ["content-length", "connection", "transfer-encoding"]

    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
