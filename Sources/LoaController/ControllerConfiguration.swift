public import Foundation
public import LoaDomain
import LoaProtocol
public import LoaSpeech

/// The controller's settings file (JSON), e.g. `deploy/controller.json`.
public struct ControllerConfiguration: Sendable, Codable, Equatable {
    /// The commune and its hamlets.
    public var site: Site
    /// Where the broker is and who the controller is to it.
    public var broker: Broker
    /// Where the HTTP API and media server listen.
    public var http: HTTP
    /// Folder for the SQLite database, the media files and the API token.
    public var dataDirectory: String
    /// The address receivers use to fetch media (`{mediaBaseURL}/media/{sha256}`);
    /// defaults to the HTTP listener's address.
    public var mediaBaseURL: String?
    /// Development only: start even when the broker lets anonymous clients in.
    /// Without it the controller refuses such a broker (anyone could then publish).
    public var allowAnonymousBroker: Bool?
    /// When only emergencies may sound, on the site's wall clock (`site.timeZone`), e.g.
    /// `[{"start": "21:30", "end": "05:00"}]`: sent in every schedule document, so that
    /// receivers refuse to play normal and priority items then. Optional.
    public var quietHours: [QuietHours]?
    /// The least time between announcing a new signing key and its taking over
    /// (`loa key rotate`), in seconds; default 600. Online receivers hear the
    /// announcement at once; the notice leaves room for delivery and clock error.
    public var keyRotationNoticeSeconds: Double?
    /// Which text-to-speech engine reads text programmes (docs/speech.md); eSpeak NG's
    /// Vietnamese voice when absent. Optional.
    public var speech: SpeechSettings?
    /// Where the controller keeps its data: SQLite in the data folder when absent (one
    /// commune), or a PostgreSQL database shared by a province's controllers (docs/province.md).
    public var store: StoreSettings?

    /// Where each day's export goes: the province's source-information system
    /// (docs/province-export.md). Optional; the export can always be pulled from the API.
    public var provinceExport: ProvinceExportSettings?

    /// The relay of live streams (national and province radio) through an Icecast server;
    /// relay programmes are not aired without it (docs/relay.md). Optional.
    public var relay: RelaySettings?

    /// The push of the province's export.
    public struct ProvinceExportSettings: Sendable, Codable, Equatable {
        /// The endpoint each day's export is POSTed to (http or https).
        public var url: String
        /// A file holding the bearer token the province gave this commune; none when absent.
        public var tokenFile: String?
        /// How many days back a day not yet delivered is still sent (default 31).
        public var backfillDays: Int?
        /// How often undelivered days are tried, in minutes (default 15).
        public var everyMinutes: Double?

        public init(url: String, tokenFile: String? = nil, backfillDays: Int? = nil, everyMinutes: Double? = nil) {
            (self.url, self.tokenFile, self.backfillDays, self.everyMinutes) = (url, tokenFile, backfillDays, everyMinutes)
        }

        /// What is wrong, each naming its field.
        var problems: [String] {
            var problems: [String] = []
            if let url = URL(string: url), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {} else {
                problems.append("provinceExport.url '\(url)' is not an http(s) URL; e.g. https://stttt.tinh.gov.vn/loa/exports")
            }
            if let tokenFile, !FileManager.default.isReadableFile(atPath: tokenFile) {
                problems.append("provinceExport.tokenFile '\(tokenFile)' cannot be read")
            }
            if let days = backfillDays, !(1...366).contains(days) { problems.append("provinceExport.backfillDays \(days): give 1–366") }
            if let minutes = everyMinutes, !(minutes >= 1) { problems.append("provinceExport.everyMinutes \(minutes): give 1 or more") }
            return problems
        }
    }

    /// The store engine and, for PostgreSQL, how to reach it. The password is read
    /// from a file (mode 0600), never written in the settings.
    public struct StoreSettings: Sendable, Codable, Equatable {
        public enum Engine: String, Sendable, Codable { case sqlite, postgres }
        public var engine: Engine
        public var host: String?
        public var port: Int?
        public var user: String?
        public var passwordFile: String?
        public var database: String?
        /// The CA certificate (PEM) of the server's: connect over TLS (required off this host).
        public var caFile: String?
        /// The most connections this process opens to the database (2…500, default 20). The
        /// communes one process serves share one pool (the largest of their settings);
        /// the sum over every process must stay under the server's `max_connections`.
        public var maximumConnections: Int?
        /// A file holding the key that seals the commune's signing keys and media secret
        /// in the database (`SecretsKey`; made at first start when absent; by default
        /// `secrets.key` in the data folder). Every controller of the commune must hold
        /// the same file.
        public var secretsKeyFile: String?

        public init(
            engine: Engine, host: String? = nil, port: Int? = nil, user: String? = nil, passwordFile: String? = nil,
            database: String? = nil, caFile: String? = nil, maximumConnections: Int? = nil, secretsKeyFile: String? = nil
        ) {
            (self.engine, self.host, self.port, self.user, self.passwordFile, self.database) = (engine, host, port, user, passwordFile, database)
            (self.caFile, self.maximumConnections, self.secretsKeyFile) = (caFile, maximumConnections, secretsKeyFile)
        }

        /// What is missing or wrong, each naming its field.
        var problems: [String] {
            guard engine == .postgres else {
                return secretsKeyFile == nil ? [] : ["store.secretsKeyFile is for a PostgreSQL store; on SQLite the keys stay in the data folder"]
            }
            var problems: [String] = []
            if let secretsKeyFile {
                let folder = URL(fileURLWithPath: secretsKeyFile).deletingLastPathComponent().path
                if secretsKeyFile.isEmpty || (!FileManager.default.isReadableFile(atPath: secretsKeyFile)
                    && (FileManager.default.fileExists(atPath: secretsKeyFile) || !FileManager.default.isWritableFile(atPath: folder)))
                {
                    problems.append(
                        "store.secretsKeyFile '\(secretsKeyFile)' cannot be read (or made); copy it from the commune's first controller, mode 0600")
                }
            }
            for (field, value) in [("host", host), ("user", user), ("passwordFile", passwordFile), ("database", database)]
            where value?.isEmpty ?? true {
                problems.append("store.\(field) is missing; a PostgreSQL store needs host, user, passwordFile and database")
            }
            if let passwordFile, !passwordFile.isEmpty, !FileManager.default.isReadableFile(atPath: passwordFile) {
                problems.append("store.passwordFile '\(passwordFile)' cannot be read; write the database user's password there (mode 0600)")
            }
            if let port, !(1...65535).contains(port) { problems.append("store.port \(port) is not a TCP port") }
            if let maximumConnections, !(2...500).contains(maximumConnections) {
                problems.append("store.maximumConnections \(maximumConnections) must be 2…500; e.g. 20")
            }
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                problems.append("store.caFile '\(caFile)' cannot be read; give the PEM of the CA that signed the server's certificate")
            }
            if caFile == nil, let host, !["127.0.0.1", "localhost", "::1"].contains(host) {
                problems.append("store.host '\(host)' is another host: set store.caFile so the connection is encrypted (TLS)")
            }
            return problems
        }
    }

    /// The broker connection.
    public struct Broker: Sendable, Codable, Equatable {
        public var host: String
        public var port: Int
        public var clientID: String
        public var username: String?
        public var password: String?
        /// The CA certificate (PEM) that signed the broker's: set it to connect over TLS.
        public var caFile: String?
        public init(
            host: String, port: Int, clientID: String = "loa-controller", username: String? = nil, password: String? = nil,
            caFile: String? = nil
        ) {
            self.host = host
            self.port = port
            self.clientID = clientID
            self.username = username
            self.password = password
            self.caFile = caFile
        }
    }

    /// The HTTP listener.
    public struct HTTP: Sendable, Codable, Equatable {
        public var host: String
        /// 0 picks a free port (tests).
        public var port: Int
        /// True when the console is reached over HTTPS (a TLS-terminating proxy in
        /// front): the session cookie is then `Secure` and the console's origin `https://…`.
        /// Default false, for the local setup over plain HTTP.
        public var secureCookies: Bool?
        public init(host: String = "127.0.0.1", port: Int, secureCookies: Bool? = nil) {
            self.host = host
            self.port = port
            self.secureCookies = secureCookies
        }
    }

    public init(
        site: Site, broker: Broker, http: HTTP, dataDirectory: String, mediaBaseURL: String? = nil,
        allowAnonymousBroker: Bool? = nil, quietHours: [QuietHours]? = nil, keyRotationNoticeSeconds: Double? = nil,
        speech: SpeechSettings? = nil, store: StoreSettings? = nil, provinceExport: ProvinceExportSettings? = nil,
        relay: RelaySettings? = nil
    ) {
        self.relay = relay
        self.store = store
        self.provinceExport = provinceExport
        self.keyRotationNoticeSeconds = keyRotationNoticeSeconds
        self.speech = speech
        self.allowAnonymousBroker = allowAnonymousBroker
        self.quietHours = quietHours
        self.site = site
        self.broker = broker
        self.http = http
        self.dataDirectory = dataDirectory
        self.mediaBaseURL = mediaBaseURL
    }

    /// The device registry (`devices.json` in the data folder): who may connect, and each device's hamlet.
    public var deviceRegistryFile: URL { Self.deviceRegistryFile(dataDirectory: dataDirectory) }

    /// The device registry of a data folder.
    public static func deviceRegistryFile(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("devices.json")
    }

    /// The controller's own HTTP address, as the CLI on the same host reaches it.
    public var httpAddress: String { "http://\(http.host):\(http.port)" }

    /// Where receivers fetch media: `mediaBaseURL`, or else the HTTP listener's address.
    public var receiverMediaBaseURL: String { mediaBaseURL ?? httpAddress }

    /// The name of the controller's signing key, which is also the origin of its
    /// log checkpoints: `loa.{site}`.
    public static func keyName(site: String) -> String { "loa.\(site)" }

    /// Reads and checks a settings file.
    /// - Throws: `ConfigurationError` naming the file and the field at fault.
    public static func load(from path: String) throws -> ControllerConfiguration {
        let configuration: ControllerConfiguration = try ConfigurationFile.decode(path: path)
        var problems: [String] = []
        if let problem = Identifier.problem(with: configuration.site.id) { problems.append("site.id \(problem)") }
        if configuration.site.hamlets.isEmpty { problems.append("site.hamlets is empty; list the commune's hamlets") }
        for (index, hamlet) in configuration.site.hamlets.enumerated() {
            if let problem = Identifier.problem(with: hamlet.id) { problems.append("site.hamlets[\(index)].id \(problem)") }
        }
        if TimeZone(identifier: configuration.site.timeZone) == nil {
            problems.append("site.timeZone '\(configuration.site.timeZone)' is not an IANA time zone; e.g. Asia/Ho_Chi_Minh")
        }
        if let speech = configuration.speech {
            do { _ = try speech.makeEngine() } catch { problems.append("\(error)") }
        }
        problems += configuration.store?.problems ?? []
        problems += configuration.provinceExport?.problems ?? []
        problems += configuration.relay?.problems ?? []
        guard problems.isEmpty else { throw ConfigurationError(path: path, problems: problems) }
        return configuration
    }
}

