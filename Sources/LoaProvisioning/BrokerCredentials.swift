/// A new broker account's username and password, shown once: the registry
/// keeps only the hash. For a device the username is also its client id.
public struct BrokerCredentials: Sendable, Equatable {
    /// The MQTT username (and client id).
    public var username: String
    /// The random password.
    public var password: String

    /// Credentials for `username`.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
