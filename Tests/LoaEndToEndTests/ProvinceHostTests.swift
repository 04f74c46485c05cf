import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoaController
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaPostgresStore
import LoaProtocol
import LoaStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One `loa controller` process serves two communes, as a province's controllers
/// do: each commune on its own broker, with its own key, data folder and HTTP port,
/// both on one PostgreSQL database through one shared pool.
@Suite("One controller process, several communes", .serialized)
struct ProvinceHostTests {
    @Test("three communes in one process: each signs its hamlets' documents with its own key on its own broker; one pool serves them all; the province's approval reaches each at once")
    func communesInOneProcess() async throws {
        let brokers = [try MosquittoBroker(), try MosquittoBroker()]
        let directory = try TemporaryDirectory(prefix: "loa-province-host")
        defer { for broker in brokers { broker.stop() }; directory.remove() }
        var store = try await SharedPostgres.controllerStore(passwordFile: directory.path("pg-password"))
        // Two pooled connections for the whole process (and one listening for the
        // province's notices): three pools would hold at least three, with three listeners.
        store.maximumConnections = 2
        let sites = [
            Site(id: "xa-an-phu", name: "Xã An Phú", hamlets: [Hamlet(id: "thon-1", name: "Thôn 1"), Hamlet(id: "thon-2", name: "Thôn 2")]),
            Site(id: "xa-vinh-loc", name: "Xã Vĩnh Lộc", hamlets: [Hamlet(id: "thon-3", name: "Thôn 3")]),
            Site(id: "xa-phu-my", name: "Xã Phú Mỹ", hamlets: [Hamlet(id: "thon-4", name: "Thôn 4")]),
        ]
        let connection = try #require(try ControllerConfiguration(
            site: sites[0], broker: .init(host: "127.0.0.1", port: 1), http: .init(port: 0), dataDirectory: "", store: store
        ).postgresConnection())
        var files: [String] = [], ports: [Int] = []
        for (index, site) in sites.enumerated() {
            let port = try MosquittoBroker.freePort()
            // Each commune starts with a schedule in force, as a province emergency needs.
            try FileManager.default.createDirectory(at: directory.path(site.id), withIntermediateDirectories: true)
            let key = try SigningKey.loadOrCreate(
                name: ControllerConfiguration.keyName(site: site.id), at: directory.path(site.id).appendingPathComponent("controller.key"))
            let seeding = try await PostgresStore(connection: connection, site: site.id, keys: ControllerKeyRing(current: key))
            try await seeding.applySchedule(
                BroadcastSchedule(
                    site: SiteSettings(id: site.id, name: site.name, slots: []),
                    hamlets: site.hamlets.map { ScheduleHamlet(id: $0.id, name: $0.name) }, groups: [], programmes: []),
                sourceFiles: [:], by: "can-bo-vh", at: Date())
            await seeding.close()
            let configuration = ControllerConfiguration(
                site: site, broker: .init(host: "127.0.0.1", port: brokers[index % 2].port, clientID: "loa-tinh-\(site.id)"),
                http: .init(host: "127.0.0.1", port: port), dataDirectory: directory.path(site.id).path,
                allowAnonymousBroker: true, store: store)
            let file = directory.path("\(site.id).json")
            try JSONEncoder().encode(configuration).write(to: file)
            files.append(file.path)
            ports.append(port)
        }
        let spawned = Date()
        let pid = try ChildProcess.spawn(
            loaExecutable(), ["controller"] + files.flatMap { ["-c", $0] }, log: directory.path("controller.log").path)
        defer { ChildProcess.stop(pid) }

        // Each commune answers on its own port with its own log key.
        var keys: [VerifierKey] = []
        for port in ports {
            var text = ""
            let answered = try await eventually(within: .seconds(30)) {
                text = (try? await Self.text(from: URL(string: "http://127.0.0.1:\(port)/log/key")!)) ?? ""
                return !text.isEmpty || ChildProcess.exitStatus(pid) != nil
            }
            let log = (try? String(contentsOf: directory.path("controller.log"), encoding: .utf8)) ?? ""
            try #require(answered && !text.isEmpty, "commune on port \(port) did not serve: \(log.suffix(2000))")
            keys.append(try VerifierKey(text: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        #expect(Set(keys).count == sites.count, "each commune signs with its own key")
        #expect(keys.map(\.name) == sites.map { "loa.\($0.id)" })

        // Each broker holds its own commune's documents only, each opening under its commune's key alone.
        for (index, site) in sites.enumerated() {
            let client = try MQTTClient(options: MQTTClientOptions(
                host: "127.0.0.1", port: brokers[index % 2].port, clientID: "province-host-test-\(index)", cleanSession: true))
            try await client.waitUntilConnected()
            try await client.subscribe("loa/v1/\(site.id)/zone/+/schedule", qos: .atLeastOnce)
            var verifier = DownwardMessageVerifier(trusting: [keys[index]])
            var zones: Set<String> = []
            for await message in client.messages {
                guard case .success(let opened) = verifier.open(message.payload, topic: message.topic, now: Date()) else {
                    Issue.record("a document on \(site.id)'s broker does not open under its key: \(message.topic)")
                    break
                }
                let document = try WireCoding.decode(ZoneSchedule.self, from: opened.payload)
                #expect(document.site == site.id)
                zones.insert(document.zone)
                if zones.count == site.hamlets.count { break }
            }
            #expect(zones == Set(site.hamlets.map(\.id)))
            await client.close()
        }

        // The process holds one pool (and one listener) for all three communes: the
        // connections opened since it started (the seeding ones were opened before).
        let connections = try Self.databaseConnections(store, since: spawned)
        #expect(connections <= 3, "connections to the database since the controller started: \(connections)")

        // The province's second approval reaches every commune at once (its notice), not
        // at the take-up job's next turn (every 5 s): four emergencies, each taken up by
        // all three communes within 2 s (by the turns alone: about 0.4 each time, 0.03 for all four).
        let province = try await PostgresProvince(connection: connection)
        defer { province.close() }
        let people = [
            ProvinceUser(name: "so-ttt", displayName: "Sở Thông tin và Truyền thông", roles: [.officer]),
            ProvinceUser(name: "pho-chu-tich-tinh", displayName: "Phó Chủ tịch UBND tỉnh", roles: [.approver]),
            ProvinceUser(name: "chanh-van-phong", displayName: "Chánh Văn phòng UBND tỉnh", roles: [.approver]),
        ]
        for person in people { try await province.addProvinceUser(person, password: "Bão số chín 2026 tỉnh", at: Date()) }
        for round in 1...4 {
            let id = "bao-\(round)"
            try await province.propose(
                ProvinceEmergency(
                    id: id, title: "Cảnh báo bão \(round)", text: "Bão sắp đổ bộ, bà con chằng chống nhà cửa.", communes: sites.map(\.id),
                    startAt: Date(), proposedBy: people[0].name, proposedAt: Date()),
                by: people[0])
            _ = try await province.approveEmergency(id: id, by: people[1], at: Date())
            _ = try await province.approveEmergency(id: id, by: people[2], at: Date())
            let approvedAt = Date()
            var takeUps: [String: ProvinceTakeUp] = [:]
            _ = try await eventually(within: .seconds(15)) {
                takeUps = try await province.takeUps(of: id)
                return takeUps.count == sites.count
            }
            #expect(Set(takeUps.keys) == Set(sites.map(\.id)), "round \(round): \(takeUps.keys.sorted())")
            let slowest = takeUps.values.map { $0.takenAt.timeIntervalSince(approvedAt) }.max() ?? .infinity
            #expect(slowest < 2, "round \(round): the last commune took it up \(slowest) s after the approval")
        }
        #expect(ChildProcess.exitStatus(pid) == nil, "the controller still runs")
    }

    @Test("two settings files for one commune in one process: refused at start, naming what clashes")
    func clashIsRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-province-clash")
        defer { directory.remove() }
        var files: [String] = []
        for name in ["a", "b"] {
            let configuration = ControllerConfiguration(
                site: Site(id: "xa-an-phu", name: "Xã An Phú", hamlets: [Hamlet(id: "thon-1", name: "Thôn 1")]),
                broker: .init(host: "127.0.0.1", port: 1, clientID: "loa-\(name)"), http: .init(port: 0),
                dataDirectory: directory.path(name).path, allowAnonymousBroker: true)
            let file = directory.path("\(name).json")
            try JSONEncoder().encode(configuration).write(to: file)
            files.append(file.path)
        }
        let log = directory.path("controller.log").path
        let pid = try ChildProcess.spawn(loaExecutable(), ["controller", "-c", files[0], "-c", files[1]], log: log)
        let status = await ChildProcess.ended(pid)
        let printed = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status != 0)
        #expect(printed.contains("site.id 'xa-an-phu' is given to both xa-an-phu and xa-an-phu"), "\(printed)")
    }

    static func text(from url: URL) async throws -> String? {
        let (data, response) = try await LoopbackHTTP.data(from: url)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Connections to the store's database opened since `since` (not psql's own), counted by psql.
    static func databaseConnections(_ store: ControllerConfiguration.StoreSettings, since: Date) throws -> Int {
        let password = try String(contentsOfFile: store.passwordFile ?? "", encoding: .utf8)
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [
            "-h", store.host ?? "", "-p", "\(store.port ?? 5432)", "-U", store.user ?? "", "-d", store.database ?? "", "-tAc",
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                + "AND backend_start >= to_timestamp(\(since.timeIntervalSince1970))",
        ]
        psql.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
        let output = Pipe(), errors = Pipe()
        psql.standardOutput = output
        psql.standardError = errors
        try psql.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        guard psql.terminationStatus == 0, let count = Int(printed.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ConfigurationError(path: "psql (exit \(psql.terminationStatus))", problems: [printed, complaint])
        }
        return count
    }
}
