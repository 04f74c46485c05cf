import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What `province` runs on, all real and on loopback: a PostgreSQL server (Debian's,
/// `initdb` in a temp dir), several Mosquitto brokers, and several `loa controller`
/// processes, each serving every commune (`-c` once per commune). Each commune has one
/// data folder its controllers share (key, media secret, media), is pinned to one
/// broker (commune `i` to broker `i % brokers`), and starts with an active schedule.
final class ProvinceRig {
    struct RigCommune {
        var site: Site
        var broker: Int
        var dataDirectory: URL
        var key: SigningKey
        var mediaSecret: Data
        /// Its HTTP port in each controller process.
        var ports: [Int]
    }

    let folder: TemporaryDirectory
    let postgres: PostgresServer
    let connection: PostgresStore.Connection
    /// The benchmark's own small pool: seeding, the province's desk, polling how far it reached.
    let database: PostgresDatabase
    let brokers: [MosquittoBroker]
    let communes: [RigCommune]
    private(set) var controllerPIDs: [Int32] = []

    init(communes count: Int, hamlets: Int, brokers brokerCount: Int, controllers: Int) async throws {
        folder = try TemporaryDirectory(prefix: "loa-bench-province")
        postgres = try PostgresServer()
        let admin = PostgresStore.Connection(
            host: "127.0.0.1", port: postgres.port, user: postgres.user, password: postgres.password, database: "postgres")
        try await PostgresStore.createDatabase("loa_province", on: admin)
        var connection = admin
        connection.database = "loa_province"
        self.connection = connection
        database = try await PostgresDatabase(connection: connection, maximumConnections: 4)
        let brokerSettings = """
            allow_anonymous true
            max_connections -1
            max_queued_messages 10000
            log_type none
            log_dest none
            """
        brokers = try (0..<brokerCount).map { _ in try MosquittoBroker(configuration: brokerSettings) }
        let folder = folder
        var taken: Set<Int> = []
        /// A free loopback port not handed out yet (the kernel may offer one twice in a row).
        func freePort() throws -> Int {
            for _ in 0..<100 {
                if let port = LoopbackPort.free(), taken.insert(port).inserted { return port }
            }
            throw ValidationFailure("no free loopback port")
        }
        communes = try (0..<count).map { index in
            let site = Site(
                id: ProvincePlan.siteID(index), name: "Xã Số \(index)",
                hamlets: (0..<hamlets).map { Hamlet(id: ProvincePlan.hamletID(commune: index, hamlet: $0), name: "Thôn \($0 + 1)") })
            let directory = folder.path("communes/\(site.id)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let key = try SigningKey.loadOrCreate(
                name: ControllerConfiguration.keyName(site: site.id), at: directory.appendingPathComponent("controller.key"))
            return RigCommune(
                site: site, broker: index % brokerCount, dataDirectory: directory, key: key,
                mediaSecret: try MediaAccess.secret(dataDirectory: directory.path),
                ports: try (0..<controllers).map { _ in try freePort() })
        }
    }

    /// Why the rig could not be set up.
    struct ValidationFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Gives every commune an active schedule (its hamlets, no programmes), as its officer
    /// would have: a province emergency is taken into the schedule in force.
    func seedSchedules() async throws {
        for commune in communes {
            let store = try await PostgresStore(database: database, site: commune.site.id, keys: ControllerKeyRing(current: commune.key))
            let schedule = BroadcastSchedule(
                site: SiteSettings(id: commune.site.id, name: commune.site.name, slots: []),
                hamlets: commune.site.hamlets.map { ScheduleHamlet(id: $0.id, name: $0.name) }, groups: [], programmes: [])
            try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: Date())
            await store.close()
        }
    }

    /// Writes each controller process's settings (one file per commune) and starts them;
    /// returns once every commune answers on every controller.
    func startControllers(_ loa: String, count: Int, poolSize: Int) async throws {
        let passwordFile = folder.path("pg-password")
        try Data(connection.password.utf8).write(to: passwordFile)
        chmod(passwordFile.path, 0o600)
        let store = ControllerConfiguration.StoreSettings(
            engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
            passwordFile: passwordFile.path, database: connection.database, maximumConnections: poolSize)
        for process in 0..<count {
            var arguments = ["controller"]
            let settings = folder.path("controller-\(process)")
            try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
            for commune in communes {
                let configuration = ControllerConfiguration(
                    site: commune.site,
                    broker: .init(host: "127.0.0.1", port: brokers[commune.broker].port, clientID: "loa-ctl-\(process)-\(commune.site.id)"),
                    http: .init(host: "127.0.0.1", port: commune.ports[process]), dataDirectory: commune.dataDirectory.path,
                    allowAnonymousBroker: true, store: store)
                let file = settings.appendingPathComponent("\(commune.site.id).json")
                try JSONEncoder().encode(configuration).write(to: file)
                arguments += ["-c", file.path]
            }
            controllerPIDs.append(try ChildProcess.spawn(loa, arguments, log: folder.path("controller-\(process).log").path))
        }
        let deadline = ContinuousClock.now + .seconds(300)
        for commune in communes {
            for port in commune.ports {
                while !(await Self.answers(port)) {
                    for pid in controllerPIDs where ChildProcess.exitStatus(pid) != nil {
                        throw ValidationFailure("a controller process exited; its log: \(folder.path("controller-\(controllerPIDs.firstIndex(of: pid)!).log").path)")
                    }
                    guard ContinuousClock.now < deadline else { throw ValidationFailure("commune \(commune.site.id) did not serve on port \(port) within 300 s") }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    private static func answers(_ port: Int) async -> Bool {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/log/key")!) else {
            return false
        }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// The plan the fleet workers read.
    func plan(receiversPerCommune: Int, itemPrefix: String) -> ProvincePlan {
        ProvincePlan(
            communes: communes.map { commune in
                ProvincePlan.Commune(
                    site: commune.site.id, brokerPort: brokers[commune.broker].port, verifierKey: commune.key.verifier.text,
                    mediaSecret: commune.mediaSecret.base64EncodedString(), hamlets: commune.site.hamlets.map(\.id),
                    mediaBaseURLs: commune.ports.map { "http://127.0.0.1:\($0)" })
            },
            receiversPerCommune: receiversPerCommune, itemPrefix: itemPrefix)
    }

    /// CPU seconds the PostgreSQL server has spent: the postmaster, its live children
    /// (backends, writers) and the children that exited (reaped by the postmaster).
    func postgresCPUSeconds() -> Double {
        let root = postgres.processID
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let fields = ProcessSample.statFields("/proc/\(pid)/stat"), fields.count > 1 else { return nil }
            return Int32(fields[1]) == root ? pid : nil
        }
        return (ProcessSample.cpuSecondsWithReapedChildren(pid: root) ?? 0)
            + children.map { ProcessSample.cpuSeconds(pid: $0) ?? 0 }.reduce(0, +)
    }

    /// Stops every process it started and removes its folder (kept when `keepingFolder`: the controllers' logs).
    func stop(keepingFolder: Bool = false) async {
        for pid in controllerPIDs { ChildProcess.stop(pid) }
        await database.close()
        for broker in brokers { broker.stop() }
        postgres.stop()
        if !keepingFolder { folder.remove() }
    }
}
