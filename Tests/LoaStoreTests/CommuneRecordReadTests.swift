import Foundation
import LoaHarness
import LoaPostgresStore
import LoaStore
import Testing

/// The communes of one process read their records (device registry every 10 s, keys)
/// together, in one statement (`PostgresCommuneRecords.communeRecord`, gathered): each
/// read gets its own commune's record of its own name, or none.
@Suite("Commune records of many communes read together (PostgreSQL)")
struct CommuneRecordReadTests {
    @Test("reads asked at once each get their commune's record of that name, or none, revisions and all")
    func eachReadItsOwnRecord() async throws {
        let database = try await PostgresDatabase(connection: try await SharedPostgres.freshDatabase(), maximumConnections: 4)
        let sites = ["xa-an-phu", "xa-binh-minh", "xa-cam-thanh", "xa-dong-hoa"]
        let records = sites.map { PostgresCommuneRecords(database: database, site: $0) }
        let now = Date()
        // Each commune but the last holds a registry; the first also its keys, changed once.
        for (index, record) in records.dropLast().enumerated() {
            _ = try await record.createCommuneRecord(.deviceRegistry, body: Data("sổ thiết bị \(sites[index])".utf8), at: now)
        }
        _ = try await records[0].createCommuneRecord(.keys, body: Data("khóa 1".utf8), at: now)
        #expect(try await records[0].replaceCommuneRecord(.keys, body: Data("khóa 2".utf8), replacing: 1, at: now))

        let asked: [(Int, CommuneRecord)] = sites.indices.flatMap { [($0, CommuneRecord.deviceRegistry), ($0, .keys)] }
        let read = try await withThrowingTaskGroup(of: (Int, StoredCommuneRecord?).self) { group in
            for (index, (commune, name)) in asked.enumerated() {
                group.addTask { (index, try await records[commune].communeRecord(name)) }
            }
            var read = [StoredCommuneRecord?](repeating: nil, count: asked.count)
            for try await (index, record) in group { read[index] = record }
            return read
        }
        for (index, (commune, name)) in asked.enumerated() {
            switch (commune, name) {
            case (0, .keys):
                #expect(read[index] == StoredCommuneRecord(body: Data("khóa 2".utf8), revision: 2))
            case (3, _), (_, .keys):
                #expect(read[index] == nil, "\(sites[commune]) holds no \(name.rawValue)")
            case (_, .deviceRegistry):
                #expect(read[index] == StoredCommuneRecord(body: Data("sổ thiết bị \(sites[commune])".utf8), revision: 1))
            }
        }
        await database.close()
    }
}
