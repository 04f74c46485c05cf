public import Foundation
import LoaDomain
import LoaProtocol
import LoaFiles

/// The operator's list of receivers and controller accounts, kept as a JSON
/// file (mode 0600: it holds password hashes). The broker's password and ACL
/// files are rendered from it, never edited by hand.
///
/// ```json
/// {"controllers":[{"createdAt":"…","passwordHash":"$7$101$…","sites":["xa-ha-binh"],"username":"loa-controller"}],
///  "devices":[{"createdAt":"…","hamlet":"thon-dong","id":"loa-thon-dong-1","passwordHash":"$7$101$…",
///              "revokedAt":null,"site":"xa-ha-binh"}],"format":1}
/// ```
public struct DeviceRegistry: Codable, Sendable, Equatable {
    /// A provisioned receiver.
    public struct Device: Codable, Sendable, Equatable {
        /// Device id: username and client id on the broker (`loa-{hamlet}-{n}`).
        public var id: String
        /// Its site.
        public var site: String
        /// Its hamlet.
        public var hamlet: String
        /// When it was added.
        public var createdAt: Date
        /// When it was revoked; a revoked device has no broker account.
        public var revokedAt: Date?
        /// Its password hash in mosquitto's format.
        public var passwordHash: String

        /// True unless revoked.
        public var isActive: Bool { revokedAt == nil }
    }

    /// A controller's broker account.
    public struct Controller: Codable, Sendable, Equatable {
        /// Its username (and client id).
        public var username: String
        /// The sites it runs.
        public var sites: [String]
        /// When the account was made or its password last replaced.
        public var createdAt: Date
        /// Its password hash in mosquitto's format.
        public var passwordHash: String
    }

    /// The registry format; 1.
    public var format: Int
    /// Every device ever added, revoked ones included (ids are never reused).
    public private(set) var devices: [Device]
    /// The controller accounts.
    public private(set) var controllers: [Controller]

    /// An empty registry.
    public init() {
        format = 1
        devices = []
        controllers = []
    }

    /// Reads the registry at `url`; an empty one when the file does not exist yet.
    public static func load(from url: URL) throws -> DeviceRegistry {
        guard FileManager.default.fileExists(atPath: url.path) else { return DeviceRegistry() }
        return try WireCoding.decode(DeviceRegistry.self, from: Data(contentsOf: url))
    }

    /// Writes the registry atomically, mode 0600 for a new file.
    public func save(to url: URL) throws {
        var data = try WireCoding.encode(self)
        data.append(0x0A)
        try DurableFile.write(data, to: url, mode: 0o600)
    }

    /// The registries of several communes whose devices one broker serves, as one: every
    /// device and controller account of each, for that broker's password and ACL files.
    /// - Throws: `ProvisioningError.accountInTwoRegistries` when two hold the same account name.
    public static func merging(_ registries: [DeviceRegistry]) throws -> DeviceRegistry {
        var merged = DeviceRegistry()
        var names: Set<String> = []
        for registry in registries {
            for name in registry.devices.map(\.id) + registry.controllers.map(\.username) where !names.insert(name).inserted {
                throw ProvisioningError.accountInTwoRegistries(name)
            }
            merged.devices += registry.devices
            merged.controllers += registry.controllers
        }
        return merged
    }

    /// The devices that may connect.
    public var activeDevices: [Device] { devices.filter(\.isActive) }

    /// The device `id`, revoked or not.
    public func device(_ id: String) -> Device? { devices.first { $0.id == id } }

    /// Adds a receiver for `hamlet` of `site`: a new id `loa-{hamlet}-{n}` (n one
    /// past the highest ever used for that prefix) and a random password.
    /// - Parameter namingSite: ids `loa-{site}-{hamlet}-{n}` instead, unique across
    ///   communes, for a broker that serves several (a province's: its usernames and
    ///   client ids must differ between communes whose hamlets share names).
    /// - Returns: the credentials, to be written into the receiver's configuration; the registry keeps only the hash.
    public mutating func add(site: String, hamlet: String, namingSite: Bool = false, now: Date = Date()) throws -> BrokerCredentials {
        for value in [site, hamlet] {
            if let problem = Identifier.problem(with: value) { throw ProvisioningError.badIdentifier(value, problem: problem) }
        }
        let prefix = namingSite ? "loa-\(site)-\(hamlet)-" : "loa-\(hamlet)-"
        let used = devices.compactMap { $0.id.hasPrefix(prefix) ? Int($0.id.dropFirst(prefix.count)) : nil }
        let id = prefix + String((used.max() ?? 0) + 1)
        if let problem = Identifier.problem(with: id) { throw ProvisioningError.badIdentifier(id, problem: problem) }
        guard !controllers.contains(where: { $0.username == id }) else { throw ProvisioningError.badUsername(id) }
        let password = BrokerPassword.generate()
        devices.append(Device(
            id: id, site: site, hamlet: hamlet, createdAt: now, revokedAt: nil,
            passwordHash: MosquittoPasswordHash(password: password).description))
        return BrokerCredentials(username: id, password: password)
    }

    /// Revokes device `id`: it leaves the password and ACL files at the next render.
    public mutating func revoke(_ id: String, now: Date = Date()) throws {
        guard let index = devices.firstIndex(where: { $0.id == id }) else { throw ProvisioningError.unknownDevice(id) }
        guard devices[index].revokedAt == nil else { throw ProvisioningError.alreadyRevoked(id) }
        devices[index].revokedAt = now
    }

    /// Makes the controller account `username` for `sites`, or gives an existing
    /// one these sites and a new password.
    public mutating func setController(username: String = "loa-controller", sites: [String], now: Date = Date()) throws -> BrokerCredentials {
        if let problem = Identifier.problem(with: username) { throw ProvisioningError.badIdentifier(username, problem: problem) }
        for site in sites {
            if let problem = Identifier.problem(with: site) { throw ProvisioningError.badIdentifier(site, problem: problem) }
        }
        guard !devices.contains(where: { $0.id == username }) else { throw ProvisioningError.badUsername(username) }
        let password = BrokerPassword.generate()
        let account = Controller(
            username: username, sites: sites, createdAt: now,
            passwordHash: MosquittoPasswordHash(password: password).description)
        if let index = controllers.firstIndex(where: { $0.username == username }) {
            controllers[index] = account
        } else {
            controllers.append(account)
        }
        return BrokerCredentials(username: username, password: password)
    }

    /// The broker password file: the controllers and every active device.
    public func passwordFile() throws -> MosquittoPasswordFile {
        var file = MosquittoPasswordFile()
        for controller in controllers {
            try file.set(.init(username: controller.username, hash: MosquittoPasswordHash(text: controller.passwordHash)))
        }
        for device in activeDevices {
            try file.set(.init(username: device.id, hash: MosquittoPasswordHash(text: device.passwordHash)))
        }
        return file
    }

    /// The broker ACL: the controllers and every active device.
    public func acl() -> MosquittoACL {
        MosquittoACL(
            devices: activeDevices.map { .init(id: $0.id, site: $0.site, hamlet: $0.hamlet) },
            controllers: controllers.map { .init(username: $0.username, sites: $0.sites) })
    }

    /// Writes the password and ACL files, each atomically (a new file gets mode
    /// 0640, an existing one keeps its owner, group and mode so mosquitto can
    /// still read it). Reload the broker afterwards (`BrokerReload`).
    public func writeBrokerFiles(passwordFile: URL, aclFile: URL) throws {
        try DurableFile.write(Data(try self.passwordFile().render().utf8), to: passwordFile, mode: 0o640)
        try DurableFile.write(Data(acl().render().utf8), to: aclFile, mode: 0o640)
    }
}
