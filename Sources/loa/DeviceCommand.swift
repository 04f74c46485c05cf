import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaPostgresStore
import LoaProtocol
import LoaProvisioning
import LoaReceiver
import LoaFiles

/// `loa device`: provisioning of receivers and of the controller's broker account.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Cấp và thu hồi thiết bị (provision and revoke devices).",
        subcommands: [DeviceAddCommand.self, DeviceRevokeCommand.self, ControllerAccountCommand.self, BrokerFilesCommand.self])
}

/// The broker's password and ACL files to write, and the broker to reload.
struct BrokerFileOptions: ParsableArguments {
    @Option(help: "Mosquitto password file to write (default: DATA/broker/passwords)")
    var passwordFile: String?
    @Option(help: "Mosquitto ACL file to write (default: DATA/broker/acl)")
    var aclFile: String?
    @Option(help: "Mosquitto's pid file: the broker is sent SIGHUP to reload the files at once")
    var brokerPidFile: String?

    /// Writes the files from `registry` (by default into `dataDirectory/broker/`) and has the broker reload them.
    func write(_ registry: DeviceRegistry, dataDirectory: String) throws {
        let data = URL(fileURLWithPath: dataDirectory)
        try FileManager.default.createDirectory(at: data.appendingPathComponent("broker"), withIntermediateDirectories: true)
        try registry.writeBrokerFiles(
            passwordFile: URL(fileURLWithPath: passwordFile ?? data.appendingPathComponent("broker/passwords").path),
            aclFile: URL(fileURLWithPath: aclFile ?? data.appendingPathComponent("broker/acl").path))
        if let brokerPidFile {
            try BrokerReload.reload(pidFile: URL(fileURLWithPath: brokerPidFile))
            print("Đã nạp lại broker / broker reloaded (SIGHUP)")
        }
    }
}

/// Where the registry and the broker files of a controller live.
struct ProvisioningPlace: ParsableArguments {
    @Option(name: .shortAndLong, help: "Controller settings file")
    var config: String
    @OptionGroup var broker: BrokerFileOptions

    func controller() throws -> ControllerConfiguration { try ControllerConfiguration.load(from: config) }

    /// Changes the commune's registry where it is kept (`devices.json` of the data folder,
    /// or the province's database on PostgreSQL), then writes the broker's files from
    /// it and has the broker reload them.
    /// - Returns: what `body` returned.
    func change<T: Sendable>(_ settings: ControllerConfiguration, _ body: (inout DeviceRegistry) throws -> T) async throws -> T {
        try await settings.withStoreDatabase { database in try await change(settings, on: database, body) }
    }

    /// `change(_:_:)` on the store's database, already connected (nil: the data folder's file).
    func change<T: Sendable>(
        _ settings: ControllerConfiguration, on database: PostgresDatabase?, _ body: (inout DeviceRegistry) throws -> T
    ) async throws -> T {
        let result: T, registry: DeviceRegistry
        if let kept = settings.deviceRegistry(database: database) as? DatabaseDeviceRegistry {
            (result, registry) = try await kept.change(body)
        } else {
            var file = try DeviceRegistry.load(from: settings.deviceRegistryFile)
            result = try body(&file)
            try file.save(to: settings.deviceRegistryFile)
            registry = file
        }
        try broker.write(registry, dataDirectory: settings.dataDirectory)
        return result
    }
}

/// `loa device add`: a new receiver with its own random password and ACL, and its settings file.
struct DeviceAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Thêm thiết bị thu cho một thôn (add a receiver to a hamlet).")

    @OptionGroup var place: ProvisioningPlace
    @Option(help: "The hamlet the device serves") var hamlet: String
    @Option(help: "Where to write the receiver's settings file (it holds its password: mode 0600)") var output: String
    @Option(help: "The receiver's state folder on the device") var stateDirectory = "/var/lib/loa/receiver"
    @Option(help: "The receiver's ALSA PCM") var audioDevice = "default"
    @Option(help: "An ALSA config file for the receiver (e.g. a file PCM)") var alsaConfigFile: String?
    @Option(help: "Broker host as the device sees it (default: the controller's)") var brokerHost: String?
    @Option(help: "Serve the hamlet's notice board on this port for a kiosk browser on the device (bảng tin điện tử)")
    var boardPort: Int?
    @Flag(help: "The device has no speaker (a notice board only): it neither plays nor reports audio items")
    var noSpeaker = false

    func validate() throws {
        if noSpeaker && boardPort == nil {
            throw ValidationError("--no-speaker needs --board-port: a device with neither a speaker nor a board does nothing")
        }
        if let boardPort, !(1...65535).contains(boardPort) {
            throw ValidationError("--board-port \(boardPort) is not a TCP port (1–65535)")
        }
    }

    func run() async throws {
        let settings = try place.controller()
        guard settings.site.hamlet(hamlet) != nil else {
            throw ValidationError("--hamlet '\(hamlet)' is not a hamlet of \(settings.site.id); known: \(settings.site.hamlets.map(\.id).joined(separator: ", "))")
        }
        // The key in force and the media secret, then the device, from the data folder or
        // the province's database (one connection for both).
        let (key, mediaSecret, credentials) = try await settings.withStoreDatabase { database in
            let vault = try settings.keyVault(database: database)
            let key = try await vault.load(clock: { Date() }).active.verifier, secret = try await vault.mediaSecret()
            // On a province's database a broker serves many communes: ids name the commune too.
            let credentials = try await place.change(settings, on: database) {
                try $0.add(site: settings.site.id, hamlet: hamlet, namingSite: database != nil)
            }
            return (key, secret, credentials)
        }
        let hamletName = settings.site.hamlet(hamlet)?.name
        let board = boardPort.map { BoardSettings(port: $0, communeName: settings.site.name, hamletName: hamletName) }
        let receiver = ReceiverConfiguration(
            deviceID: credentials.username, site: settings.site.id, hamlet: hamlet,
            broker: .init(
                host: brokerHost ?? settings.broker.host, port: settings.broker.port, username: credentials.username,
                password: credentials.password, caFile: settings.broker.caFile),
            controllerKey: key.text,
            mediaBaseURL: settings.receiverMediaBaseURL,
            mediaToken: MediaToken.make(secret: mediaSecret, device: credentials.username),
            stateDirectory: stateDirectory,
            audio: noSpeaker ? nil : .init(device: audioDevice, alsaConfigFile: alsaConfigFile), board: board)
        try PrivateSettingsFile.write(receiver, to: output)
        print("Đã thêm thiết bị / device added: \(credentials.username) (thôn \(hamlet)); settings in \(output)")
        if let board {
            print("Bảng tin / notice board: http://\(board.host):\(board.port)/ (open it full-screen in the device's kiosk browser)")
        }
    }
}

/// `loa device revoke`: cuts a device off the broker at once and records when.
struct DeviceRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Thu hồi thiết bị (revoke a device: its access ends at once).")

    @OptionGroup var place: ProvisioningPlace
    @Argument(help: "The device id") var device: String

    func run() async throws {
        let settings = try place.controller()
        try await place.change(settings) { try $0.revoke(device) }
        print("Đã thu hồi / revoked: \(device)")
    }
}

/// `loa device controller`: (re)makes the controller's broker account and writes it into its settings.
struct ControllerAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Tạo tài khoản broker cho máy chủ điều khiển (make the controller's broker account).")

    @OptionGroup var place: ProvisioningPlace

    func run() async throws {
        var settings = try place.controller()
        let username = settings.broker.clientID, site = settings.site.id
        let credentials = try await place.change(settings) { try $0.setController(username: username, sites: [site]) }
        settings.broker.username = credentials.username
        settings.broker.password = credentials.password
        try PrivateSettingsFile.write(settings, to: place.config)
        print("Đã tạo tài khoản / account made: \(credentials.username); its password is in \(place.config) (mode 0600)")
    }
}

/// `loa device broker-files`: one broker's password and ACL files for every commune it
/// serves, from their registries (a province's brokers each serve many communes).
struct BrokerFilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker-files",
        abstract: "Ghi tệp mật khẩu và ACL của một broker cho mọi xã nó phục vụ (write one broker's password and ACL files for every commune it serves).")

    @Option(name: .shortAndLong, help: "Settings file of a commune this broker serves; repeat for each")
    var config: [String]
    @OptionGroup var broker: BrokerFileOptions

    func validate() throws {
        guard !config.isEmpty else { throw ValidationError("give -c COMMUNE.json for each commune this broker serves") }
    }

    func run() async throws {
        var registries: [DeviceRegistry] = []
        for path in config {
            let settings = try ControllerConfiguration.load(from: path)
            registries.append(try await settings.withStoreDatabase { database in
                let source = settings.deviceRegistry(database: database)
                try await source.refresh()
                return try source.current()
            })
        }
        let merged = try DeviceRegistry.merging(registries)
        try broker.write(merged, dataDirectory: try ControllerConfiguration.load(from: config[0]).dataDirectory)
        print("Đã ghi / written: \(merged.activeDevices.count) thiết bị (devices), \(merged.controllers.count) tài khoản máy chủ (controller accounts), \(config.count) xã (communes)")
    }
}

/// Settings files that hold a password: written whole (temporary file, then
/// rename) and readable by their owner only from the first byte.
enum PrivateSettingsFile {
    static func write(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let target = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try DurableFile.write(try encoder.encode(value), to: target, mode: 0o600, exactMode: true)
    }
}
