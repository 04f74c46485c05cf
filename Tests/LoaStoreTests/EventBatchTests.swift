import Foundation
import LoaHarness
import LoaProtocol
@testable import LoaPostgresStore
import LoaStore
import LoaTransparency
import Testing

/// The events of every commune a controller process serves, stored together
/// (`PostgresStore.record` → one transaction for the batches of many communes): each
/// commune's log stays its own, gap-free and verifiable, and each event is new once.
@Suite("Events of many communes stored together (PostgreSQL)")
struct EventBatchTests {
    let key = SigningKey(name: "loa.tinh-thu-nghiem")

    static func event(site: String, device: Int, n: Int) -> (DeviceEvent, Date) {
        let at = Date(timeIntervalSince1970: 1_796_436_000 + Double(n))
        return (DeviceEvent(
            id: "ready:\(n)", device: "loa-\(device)", site: site, zone: "thon-a", item: "tb-\(n)@thon-a", kind: .ready, at: at), at)
    }

    @Test("two processes, 12 communes each, a second store of one commune, events sent twice: every event new once, every log gap-free and intact")
    func manyCommunes() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let communes = (0..<12).map { "xa-\($0)" }
        var stores: [PostgresStore] = []
        var databases: [PostgresDatabase] = []
        for _ in 0..<2 {
            let database = try await PostgresDatabase(connection: connection, maximumConnections: 6)
            databases.append(database)
            for site in communes {
                stores.append(try await PostgresStore(database: database, site: site, keys: ControllerKeyRing(current: key)))
            }
            // Two stores of one commune in one process: their appends must take turns.
            stores.append(try await PostgresStore(database: database, site: communes[0], keys: ControllerKeyRing(current: key)))
        }
        let (devices, perDevice) = (3, 8)
        // Every store sends every event of its commune, one batch per device at a time, all at once:
        // each event is sent by two or three stores (a receiver sending again, two controllers).
        let answers = try await withThrowingTaskGroup(of: [(String, Bool)].self) { group in
            for store in stores {
                for device in 0..<devices {
                    group.addTask {
                        var answers: [(String, Bool)] = []
                        for start in stride(from: 0, to: perDevice, by: 2) {
                            let events = (start..<start + 2).map { Self.event(site: store.site, device: device, n: $0) }
                            let new = try await store.record(events)
                            answers += zip(events, new).map { ("\(store.site)/\($0.0.device)/\($0.0.id)", $1) }
                        }
                        return answers
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let newCounts = Dictionary(grouping: answers, by: \.0).mapValues { $0.filter(\.1).count }
        #expect(newCounts.count == communes.count * devices * perDevice)
        #expect(newCounts.values.allSatisfy { $0 == 1 }, "each event is new exactly once, whichever store sent it")

        for site in communes {
            let reader = try #require(stores.first { $0.site == site })
            let stored = try await reader.events(matching: EventQuery())
            #expect(stored.count == devices * perDevice, "\(site): each event stored once")
            let report = try await reader.verifyLog(keys: [key.verifier])
            #expect(report.isIntact, "\(site): \(report.firstProblem.map { "\($0)" } ?? "")")
            // The verifier reads the rows in position order and finds any gap or event logged beyond the end.
            #expect(report.entries == UInt64(devices * perDevice), "\(site): one entry per event, nothing else")
        }
        for database in databases { await database.close() }
    }
}
