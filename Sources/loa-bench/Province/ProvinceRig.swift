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
        /// On SQLite: the API tokens of its officer and its two approvers.
        var officer = ""
        var approvers: [String] = []
    }

    /// The province's shared database, or none: every commune on SQLite in its data folder.
    struct SharedDatabase {
        let server: PostgresServer
        let connection: PostgresStore.Connection
        /// The benchmark's own small pool: seeding, the province's desk, polling how far it reached.
        let pool: PostgresDatabase
    }

    let folder: TemporaryDirectory
    let postgres: SharedDatabase?
    let brokers: [MosquittoBroker]
    private(set) var communes: [RigCommune]
    private(set) var controllerPIDs: [Int32] = []

    init(communes count: Int, hamlets: Int, brokers brokerCount: Int, controllers: Int, postgres: Bool) async throws {
        folder = try TemporaryDirectory(prefix: "loa-bench-province")
        if postgres {
            let server = try PostgresServer()
            let admin = PostgresStore.Connection(
                host: "127.0.0.1", port: server.port, user: server.user, password: server.password, database: "postgres")
            try await PostgresStore.createDatabase("loa_province", on: admin)
            var connection = admin
            connection.database = "loa_province"
            self.postgres = SharedDatabase(
                server: server, connection: connection, pool: try await PostgresDatabase(connection: connection, maximumConnections: 4))
        } else {
            self.postgres = nil
        }
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
                mediaSecret: try ControllerKeyFiles(directory: directory, name: key.name).mediaSecret(),
                ports: try (0..<controllers).map { _ in try freePort() })
        }
    }

    /// Why the rig could not be set up.
    struct ValidationFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Gives every commune an active schedule (its hamlets, no programmes), as its officer
    /// would have: a province emergency is taken into the schedule in force. On SQLite,
    /// also its officer and two approvers, whose API tokens send its own emergency.
    func seedSchedules() async throws {
        for index in communes.indices {
            let commune = communes[index]
            let keys = ControllerKeyRing(current: commune.key)
            let schedule = BroadcastSchedule(
                site: Self.settings(of: commune.site), hamlets: commune.site.hamlets.map { ScheduleHamlet(id: $0.id, name: $0.name) },
                groups: [], programmes: [])
            if let postgres {
                let store = try await PostgresStore(database: postgres.pool, site: commune.site.id, keys: keys)
                try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: Date())
                await store.close()
            } else {
                let store = try SQLiteStore(path: commune.dataDirectory.appendingPathComponent("loa.sqlite").path, keys: keys)
                try await store.applySchedule(schedule, sourceFiles: [:], by: "can-bo-vh", at: Date())
                communes[index].officer = try await store.addUser(
                    name: "can-bo-vh", displayName: "Cán bộ văn hóa", roles: [.officer], password: nil, by: "admin", at: Date()).token
                for name in ["chu-tich", "pho-chu-tich"] {
                    communes[index].approvers.append(try await store.addUser(
                        name: name, displayName: name, roles: [.approver], password: nil, by: "admin", at: Date()).token)
                }
            }
        }
    }

    /// The site settings of a commune's schedule.
    static func settings(of site: Site) -> SiteSettings { SiteSettings(id: site.id, name: site.name, slots: []) }

    /// Writes each controller process's settings (one file per commune) and starts them;
    /// returns once every commune answers on every controller.
    func startControllers(_ loa: String, count: Int, poolSize: Int) async throws {
        var store: ControllerConfiguration.StoreSettings?
        if let connection = postgres?.connection {
            let passwordFile = folder.path("pg-password")
            try Data(connection.password.utf8).write(to: passwordFile)
            chmod(passwordFile.path, 0o600)
            store = ControllerConfiguration.StoreSettings(
                engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
                passwordFile: passwordFile.path, database: connection.database, maximumConnections: poolSize,
                secretsKeyFile: folder.path("secrets.key").path)
        }
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

    /// Waits until the controllers' leases have settled on PostgreSQL: every commune's
    /// jobs held and no holder changed for `calm` (the leases of a controller that joined
    /// move to it over a few turns; an emergency sent meanwhile would meet receivers'
    /// events while a commune's intake changes hands). At most `timeout`.
    /// - Returns: how long it waited.
    func waitUntilLeasesSettle(calm: Duration = .seconds(15), timeout: Duration = .seconds(120)) async throws -> Duration {
        guard let postgres else { return .zero }
        let start = ContinuousClock.now
        var last: [String: String] = [:], since = start
        while ContinuousClock.now - start < timeout {
            let holders = try await postgres.pool.leaseHolders(at: Date())
            let served = Set(holders.keys.map { $0.prefix { $0 != "\u{0}" } })
            if holders != last || served.count < communes.count { (last, since) = (holders, .now) }
            if ContinuousClock.now - since >= calm { break }
            try await Task.sleep(for: .seconds(1))
        }
        return ContinuousClock.now - start
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
    /// (backends, writers) and the children that exited (reaped by the postmaster); and of
    /// it, the backends serving this process's own connections (the desk's approval, the
    /// polling of how far the emergency reached), told by the client port in each
    /// backend's title (`postgres: user db 127.0.0.1(54321) idle`).
    func postgresCPUSeconds() -> (all: Double, servingBench: Double) {
        guard let server = postgres?.server else { return (0, 0) }
        let root = server.processID
        let ownPorts = Self.ownLocalPorts(connectedTo: server.port)
        var all = ProcessSample.cpuSecondsWithReapedChildren(pid: root) ?? 0, servingBench = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let fields = ProcessSample.statFields("/proc/\(pid)/stat"), fields.count > 1,
                Int32(fields[1]) == root
            else { continue }
            let seconds = ProcessSample.cpuSeconds(pid: pid) ?? 0
            all += seconds
            if let port = Self.clientPort(ofBackend: pid), ownPorts.contains(port) { servingBench += seconds }
        }
        return (all, servingBench)
    }

    /// The client's port in a PostgreSQL backend's title, as it sets its command line.
    static func clientPort(ofBackend pid: Int32) -> Int? {
        guard let title = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
            let open = title.firstRange(of: "127.0.0.1("), let close = title[open.upperBound...].firstIndex(of: ")")
        else { return nil }
        return Int(title[open.upperBound..<close])
    }

    /// The local ports of this process's TCP connections to `port` (its sockets' inodes
    /// in `/proc/self/fd`, found in `/proc/self/net/tcp`).
    static func ownLocalPorts(connectedTo port: Int) -> Set<Int> {
        // readlink(2) itself: Foundation's destinationOfSymbolicLink finds nothing under /proc/self/fd.
        let inodes = Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { fd -> Substring? in
            var buffer = [CChar](repeating: 0, count: 128)
            let length = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
            guard length > 0 else { return nil }
            let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard target.hasPrefix("socket:[") else { return nil }
            return target.dropFirst("socket:[".count).dropLast()
        })
        var ports: Set<Int> = []
        for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
            // Read to its end: String(contentsOfFile:) stops after the first page of a /proc file.
            let text = FileHandle(forReadingAtPath: table).map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, inodes.contains(fields[9]),
                    let local = fields[1].split(separator: ":").last, let remote = fields[2].split(separator: ":").last,
                    Int(remote, radix: 16) == port, let localPort = Int(local, radix: 16)
                else { continue }
                ports.insert(localPort)
            }
        }
        return ports
    }

    /// Stops every process it started and removes its folder (kept when `keepingFolder`: the controllers' logs).
    func stop(keepingFolder: Bool = false) async {
        for pid in controllerPIDs { ChildProcess.stop(pid) }
        await postgres?.pool.close()
        for broker in brokers { broker.stop() }
        postgres?.server.stop()
        if !keepingFolder { folder.remove() }
    }
}
