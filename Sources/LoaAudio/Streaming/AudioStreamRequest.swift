/// A live stream to play: its URL and the credentials it is fetched with.
public struct AudioStreamRequest: Sendable, Equatable {
    /// `http://host:port/mount` (or `https://`) of an MP3 stream (an Icecast mount).
    public var url: String
    /// HTTP basic credentials (a device's id and media token), or nil for none.
    public var user: String?
    public var password: String?

    /// A stream at `url`, fetched with `user` and `password` when both are given.
    public init(url: String, user: String? = nil, password: String? = nil) {
        self.url = url
        self.user = user
        self.password = password
    }
}

/// Why a live stream could not be played, or stopped before it was meant to.
public enum AudioStreamError: Error, Equatable, CustomStringConvertible {
    /// The URL is not one a receiver can play.
    case unusableURL(url: String, reason: String)
    /// The server could not be reached or did not answer.
    case unreachable(url: String, reason: String)
    /// The server answered with another status than 200 (401: the device's credentials were refused; 404: no such mount).
    case refused(url: String, status: Int)
    /// The server sent something that is not an MP3 stream.
    case notAudio(url: String, reason: String)
    /// A stream that was playing broke off.
    case lost(reason: String)

    public var description: String {
        switch self {
        case .unusableURL(let url, let reason): "cannot play stream \(url): \(reason)"
        case .unreachable(let url, let reason): "stream \(url) unreachable: \(reason)"
        case .refused(let url, let status):
            "stream \(url) refused with HTTP \(status)"
                + (status == 401 || status == 403 ? ": the device's credentials were not accepted" : status == 404 ? ": no such stream (not on air)" : "")
        case .notAudio(let url, let reason): "stream \(url) is not playable audio: \(reason)"
        case .lost(let reason): "the stream broke off: \(reason)"
        }
    }
}
