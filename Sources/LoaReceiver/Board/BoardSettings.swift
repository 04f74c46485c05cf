/// The `board` section of a receiver's settings: the notice board page it serves to a
/// kiosk browser on the same device.
///
/// ```json
/// "board": { "port": 8090, "host": "127.0.0.1", "rotateSeconds": 20,
///            "communeName": "Xã Bình Giang", "hamletName": "Thôn Đông" }
/// ```
/// Only `port` is required.
public struct BoardSettings: Sendable, Codable, Equatable {
    /// The address the page is served on; keep the default (loopback) unless the screen is
    /// another machine: the page has no login.
    public var host: String
    /// The TCP port (0: any free port, for tests).
    public var port: Int
    /// How long each notice stays on the screen before the next, in seconds.
    public var rotateSeconds: Double
    /// The commune's name, shown in the corner (default: the site id).
    public var communeName: String?
    /// The hamlet's name, shown in the corner (default: the hamlet id).
    public var hamletName: String?

    /// Settings with the defaults: loopback, 20 s a notice.
    public init(
        host: String = "127.0.0.1", port: Int, rotateSeconds: Double = 20, communeName: String? = nil, hamletName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.rotateSeconds = rotateSeconds
        self.communeName = communeName
        self.hamletName = hamletName
    }

    private enum CodingKeys: String, CodingKey {
        case host, port, rotateSeconds, communeName, hamletName
    }

    /// Reads the section; `host` and `rotateSeconds` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            host: try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1",
            port: try container.decode(Int.self, forKey: .port),
            rotateSeconds: try container.decodeIfPresent(Double.self, forKey: .rotateSeconds) ?? 20,
            communeName: try container.decodeIfPresent(String.self, forKey: .communeName),
            hamletName: try container.decodeIfPresent(String.self, forKey: .hamletName))
    }
}
