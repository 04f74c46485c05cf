import Foundation
@testable import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaProvisioning
import LoaStore
import Testing

/// On PostgreSQL a commune's device registry is kept in the database: a device added
/// or revoked with `loa device` on any controller's settings is known to every
/// controller of the commune, none of which shares a folder with another.
@Suite("Device registry in the database (PostgreSQL)")
struct SharedDeviceRegistryTests {
    @Test("`loa device add` on one controller's settings: the other knows the device and takes its media token; `loa device revoke` on the other's: the first refuses it; no data folder holds devices.json")
    func addedAndRevokedAcrossControllers() async throws {
        let (first, second, folder) = try await SharedKeysTests.twoControllers(clock: TestClock(Date()))
        defer { first.directory.remove(); second.directory.remove(); folder.remove() }
        let settings = try [first, second].enumerated().map { index, routed in
            let file = folder.path("controller-\(index).json")
            try JSONEncoder().encode(routed.controller.configuration).write(to: file)
            return file.path
        }

        let receiverFile = folder.path("receiver.json")
        #expect(try await loa(["device", "add", "-c", settings[0], "--hamlet", "thon-a", "--output", receiverFile.path], folder) == 0)
        let receiver = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: receiverFile)) as? [String: Any])
        let device = try #require(receiver["deviceID"] as? String)
        let token = try #require(receiver["mediaToken"] as? String)
        #expect(receiver["controllerKey"] as? String == first.controller.store.verifierKey.text)

        try await second.controller.mediaAccess.registry.refresh()
        #expect(try second.controller.mediaAccess.registry.current().device(device)?.hamlet == "thon-a")
        #expect(second.controller.mediaAccess.device(authorization: "Bearer \(device):\(token)") == device)
        #expect(!second.controller.mediaAccess.isRevoked(device))

        #expect(try await loa(["device", "revoke", "-c", settings[1], device], folder) == 0)
        #expect(!first.controller.mediaAccess.isRevoked(device), "not read again yet")
        try await first.controller.mediaAccess.registry.refresh()
        #expect(first.controller.mediaAccess.isRevoked(device))
        // Each machine's broker files are made from the registry as the database holds it.
        let passwords = try String(contentsOf: second.directory.path("controller/broker/passwords"), encoding: .utf8)
        #expect(!passwords.contains(device))
        for routed in [first, second] {
            #expect(!FileManager.default.fileExists(atPath: routed.directory.path("controller/devices.json").path))
        }
    }

    @Test("a commune moving onto the database brings its devices.json, whichever of its controllers starts first")
    func movedFromTheFolder() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-shared-registry")
        defer { folder.remove() }
        var registry = DeviceRegistry()
        let credentials = try registry.add(site: Commune.testSite.id, hamlet: "thon-b")
        let withFile = folder.path("old/devices.json")
        try FileManager.default.createDirectory(at: withFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try registry.save(to: withFile)

        let database = try await PostgresDatabase(connection: try await SharedPostgres.freshDatabase())
        let records = PostgresCommuneRecords(database: database, site: Commune.testSite.id)
        let empty = DatabaseDeviceRegistry(records: records, folderFile: folder.path("new/devices.json"))
        try await empty.start()
        #expect(try empty.current().devices.isEmpty)
        #expect(try await records.communeRecord(.deviceRegistry) == nil, "a controller without the file stores nothing")

        try await DatabaseDeviceRegistry(records: records, folderFile: withFile).start()
        try await empty.refresh()
        let taken = try empty.current()
        #expect(taken.devices.map(\.id) == [credentials.username] && taken.device(credentials.username)?.hamlet == "thon-b")
        #expect(taken.devices.first?.passwordHash == registry.devices.first?.passwordHash)
        await database.close()
    }

    /// Runs `loa` with `arguments`; its exit status.
    func loa(_ arguments: [String], _ folder: TemporaryDirectory) async throws -> Int32 {
        let log = folder.path("loa-\(arguments[1]).log").path
        let status = await ChildProcess.ended(try ChildProcess.spawn(loaExecutable(), arguments, log: log))
        if status != 0 { Issue.record("loa \(arguments.joined(separator: " ")): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
        return status
    }
}

extension SharedDeviceRegistryTests {
    @Test("one broker serving two communes gets one password and ACL file for both (`loa device broker-files`); device ids name their commune, so hamlets of the same name do not clash")
    func oneBrokerManyCommunes() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-shared-registry")
        defer { folder.remove() }
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let anPhu = Site(id: "xa-an-phu", name: "Xã An Phú", hamlets: Commune.testSite.hamlets)
        var settings: [String] = []
        for site in [Commune.testSite, anPhu] {
            let routed = try await RoutedController(site: site, store: store)
            defer { routed.directory.remove() }
            var configuration = routed.controller.configuration
            configuration.broker.clientID = "loa-controller-\(site.id)"
            let file = folder.path("\(site.id).json")
            try JSONEncoder().encode(configuration).write(to: file)
            settings.append(file.path)
            #expect(try await loa(["device", "add", "-c", file.path, "--hamlet", "thon-a", "--output", folder.path("\(site.id)-receiver.json").path], folder) == 0)
            #expect(try await loa(["device", "controller", "-c", file.path], folder) == 0)
        }
        let passwords = folder.path("passwords"), acl = folder.path("acl")
        #expect(try await loa(
            ["device", "broker-files", "-c", settings[0], "-c", settings[1], "--password-file", passwords.path, "--acl-file", acl.path], folder) == 0)
        let users = try String(contentsOf: passwords, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: ":")[0]) }
        #expect(Set(users) == ["loa-xa-thu-nghiem-thon-a-1", "loa-xa-an-phu-thon-a-1", "loa-controller-xa-thu-nghiem", "loa-controller-xa-an-phu"])
        let rules = try String(contentsOf: acl, encoding: .utf8)
        #expect(rules.contains("loa/v1/xa-an-phu/zone/thon-a/schedule") && rules.contains("loa/v1/xa-thu-nghiem/zone/thon-a/schedule"), "\(rules)")
    }
}
