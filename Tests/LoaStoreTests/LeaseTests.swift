import Foundation
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import Testing

/// Leases on periodic jobs: one holder at a time, renewed by its holder, taken over
/// once it runs out or is given up.
@Suite("Leases on the commune's periodic jobs")
struct LeaseTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("one holder at a time; it renews; another takes over when it runs out or is released", arguments: StoreEngine.allCases)
    func holders(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now))
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 10))
        #expect(try await store.acquireLease(job: "checkpoint", holder: "controller-2", for: 30, at: now + 10), "each job has its own lease")
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 20), "the holder renews")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 49))
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 50), "run out: taken over")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 51))
        try await store.releaseLease(job: "refresh", holder: "controller-1")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 52), "only its holder releases it")
        try await store.releaseLease(job: "refresh", holder: "controller-2")
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 53), "released: taken at once")
    }

    @Test("on PostgreSQL, of several controllers asking at once exactly one gets it")
    func race() async throws {
        let made = try await StoreEngine.postgres.makeStore(signingKey: key)
        var stores = [made.store]
        for _ in 0..<3 { stores.append(try await made.reopen()) }
        let now = self.now
        for round in 0..<10 {
            let at = now.addingTimeInterval(Double(round) * 100)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask { try await store.acquireLease(job: "refresh", holder: "controller-\(index)", for: 30, at: at) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1, "round \(round)")
        }
    }

    @Test("on PostgreSQL, two processes each asking for many communes' leases at once: every lease has one holder, no deadlock")
    func manyCommunesAtOnce() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let communes = (0..<40).map { "xa-\($0)" }, jobs = ["events", "checkpoint", "province-emergencies"]
        // Two controller processes: a pool each, shared by the stores of every commune it serves.
        var processes: [[PostgresStore]] = []
        var databases: [PostgresDatabase] = []
        for _ in 0..<2 {
            let database = try await PostgresDatabase(connection: connection, maximumConnections: 4)
            databases.append(database)
            var stores: [PostgresStore] = []
            for site in communes {
                stores.append(try await PostgresStore(database: database, site: site, keys: ControllerKeyRing(current: key)))
            }
            processes.append(stores)
        }
        let now = self.now
        for round in 0..<3 {
            let at = now.addingTimeInterval(Double(round) * 100)
            let holders = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for (index, stores) in processes.enumerated() {
                    let holder = "controller-\(index)"
                    for store in stores {
                        for job in jobs {
                            group.addTask {
                                let holds = try await store.acquireLease(job: job, holder: holder, for: 30, at: at)
                                return ("\(store.site) \(job)", holds ? holder : nil)
                            }
                        }
                    }
                    // The same lease asked twice at once in one process: one statement cannot
                    // change a row twice, so the second is asked in the next.
                    for _ in 0..<2 {
                        group.addTask {
                            let holds = try await stores[0].acquireLease(job: "relay", holder: holder, for: 30, at: at)
                            return ("\(stores[0].site) relay", holds ? holder : nil)
                        }
                    }
                }
                return try await group.reduce(into: [String: Set<String>]()) { $0[$1.0, default: []].formUnion($1.1.map { [$0] } ?? []) }
            }
            #expect(holders.count == communes.count * jobs.count + 1, "round \(round)")
            #expect(holders.values.allSatisfy { $0.count == 1 }, "round \(round): \(holders.filter { $0.value.count != 1 })")
        }
        for database in databases { await database.close() }
    }

    @Test("on PostgreSQL, two processes turn after turn: the first takes every lease, then shares them out; one stopped, the other takes its share")
    func sharedOut() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let communes = (0..<30).map { "xa-\($0)" }, jobs = ["events", "checkpoint", "province-emergencies", "schedule-refresh"]
        var processes: [(database: PostgresDatabase, stores: [PostgresStore])] = []
        for _ in 0..<2 {
            let database = try await PostgresDatabase(connection: connection, maximumConnections: 4)
            var stores: [PostgresStore] = []
            for site in communes { stores.append(try await PostgresStore(database: database, site: site, keys: ControllerKeyRing(current: key))) }
            processes.append((database, stores))
        }
        /// One turn (every 10 s, as `LeasedJob`) of the processes in `asking`, all at once: the leases each holds.
        func turn(_ seconds: Double, asking: [Int]) async throws -> [Int: Set<String>] {
            let at = now.addingTimeInterval(seconds)
            return try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in asking {
                    for store in processes[index].stores {
                        for job in jobs {
                            group.addTask {
                                try await store.acquireLease(job: job, holder: "controller-\(index)", for: 30, at: at)
                                    ? (index, "\(store.site) \(job)") : (index, nil)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [:]) { held, answer in
                    held[answer.0, default: []].formUnion(answer.1.map { [$0] } ?? [])
                }
            }
        }
        let all = communes.count * jobs.count
        let first = try await turn(0, asking: [0])
        #expect(first[0]?.count == all, "alone, the first process takes every lease")
        var seconds = 10.0, held: [Int: Set<String>] = [:]
        // The second joins: within four turns (its alive row seen, the leases given up, taken), each holds part.
        for _ in 0..<4 {
            held = try await turn(seconds, asking: [0, 1])
            #expect(held[0, default: []].isDisjoint(with: held[1, default: []]), "at \(seconds) s: never two holders")
            seconds += 10
        }
        let shares = [held[0, default: []].count, held[1, default: []].count]
        #expect(shares.reduce(0, +) == all, "every lease held: \(shares)")
        #expect(shares.allSatisfy { Double($0) >= 0.3 * Double(all) }, "shared out: \(shares)")
        // The second stops asking (killed): its leases and its alive row run out; the first takes them.
        for _ in 0..<4 {
            held = try await turn(seconds, asking: [0])
            seconds += 10
        }
        #expect(held[0]?.count == all, "the survivor holds every lease again")
        for process in processes { await process.database.close() }
    }
}

/// Deliveries of the province's export, kept per destination so that no day is sent twice.
@Suite("Deliveries of the province's export")
struct ExportDeliveryTests {
    @Test("a delivered day is kept per destination; recording it again changes nothing", arguments: StoreEngine.allCases)
    func recorded(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: SigningKey(name: "loa.xa-thu-nghiem"))
        defer { made.remove() }
        let store = made.store
        let now = Date(timeIntervalSince1970: 1_796_263_200)
        #expect(try await store.deliveredExports(destination: "https://tinh/a").isEmpty)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-03", digest: "d1", at: now)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-03", digest: "d2", at: now + 1)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-04", digest: "d3", at: now + 2)
        #expect(try await store.deliveredExports(destination: "https://tinh/a") == ["2026-12-03", "2026-12-04"])
        #expect(try await store.deliveredExports(destination: "https://tinh/b").isEmpty)
        #expect(try await made.reopen().deliveredExports(destination: "https://tinh/a").count == 2)
    }
}
