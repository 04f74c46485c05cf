/// Why an HTTP exchange failed, naming the URL and what would be right.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    /// The URL is not one this client asks (only `http://` and `https://` with a host).
    case unusableURL(url: String, reason: String)
    /// No connection could be made (name not resolved, refused, no route).
    case unreachable(url: String, reason: String)
    /// The TLS handshake failed: most often the server's certificate is not trusted or
    /// not for the host asked.
    case tls(url: String, reason: String)
    /// Nothing arrived (or could be sent) for longer than allowed.
    case timedOut(url: String, reason: String)
    /// The server's answer is not HTTP/1.x as this client reads it.
    case malformed(url: String, reason: String)
    /// The answer broke off: the connection closed or failed before its end.
    case lost(url: String, reason: String)
    /// The body is larger than the caller allows.
    case tooLarge(url: String, limit: Int)
    /// The task asking was cancelled.
    case cancelled(url: String)

    public var description: String {
        switch self {
        case .unusableURL(let url, let reason): "cannot ask \(url): \(reason)"
        case .unreachable(let url, let reason): "\(url) unreachable: \(reason)"
        case .tls(let url, let reason): "\(url): TLS refused: \(reason)"
        case .timedOut(let url, let reason): "\(url): timed out: \(reason)"
        case .malformed(let url, let reason): "\(url): not a usable HTTP answer: \(reason)"
        case .lost(let url, let reason): "\(url): the answer broke off: \(reason)"
        case .tooLarge(let url, let limit): "\(url): the answer is over \(limit) bytes, more than is allowed"
        case .cancelled(let url): "\(url): cancelled"
        }
    }
}
