import Foundation
import LoaHarness
import LoaProtocol
@testable import LoaPostgresStore
import LoaStore
import Testing

/// Whether each commune of a process has a province emergency to take up or withdraw,
/// asked for all of them in one statement (`PostgresStore.hasProvinceEmergencyWork`,
/// gathered): each commune gets its own answer.
@Suite("Province emergency checks of many communes asked together (PostgreSQL)")
struct EmergencyWorkCheckTests {
    @Test("communes asking at once each learn whether the approved emergency is theirs, until each has taken it up")
    func eachCommuneItsOwnAnswer() async throws {
        let connection = try await SharedPostgres.freshDatabase()
        let database = try await PostgresDatabase(connection: connection, maximumConnections: 4)
        let key = SigningKey(name: "loa.tinh-thu-nghiem")
        let sites = ["xa-a", "xa-b", "xa-c"]
        var stores: [PostgresStore] = []
        for site in sites {
            let store = try await PostgresStore(database: database, site: site, keys: ControllerKeyRing(current: key))
            try await store.registerCommune(name: "Xã \(site)", hamlets: 2, at: Date())
            stores.append(store)
        }
        let province = PostgresProvince(database: database)
        let officer = ProvinceUser(name: "so-ttt", displayName: "Sở Thông tin và Truyền thông", roles: [.officer])
        let approvers = ["pho-chu-tich-tinh", "chanh-van-phong"].map { ProvinceUser(name: $0, displayName: $0, roles: [.approver]) }
        for user in [officer] + approvers { try await province.addProvinceUser(user, password: "Bão số chín 2026 tỉnh", at: Date()) }
        let since = Date().addingTimeInterval(-3600)
        func askedTogether() async throws -> [Bool] {
            try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask { (index, try await store.hasProvinceEmergencyWork(since: since)) }
                }
                var answers = Array(repeating: false, count: stores.count)
                for try await (index, answer) in group { answers[index] = answer }
                return answers
            }
        }

        let warning = ProvinceEmergency(
            id: "bao-so-9", title: "Cảnh báo bão số 9", text: "Bão số 9 sắp đổ bộ.", communes: ["xa-a", "xa-b"],
            startAt: Date().addingTimeInterval(900), proposedBy: officer.name, proposedAt: Date())
        try await province.propose(warning, by: officer)
        _ = try await province.approveEmergency(id: warning.id, by: approvers[0], at: Date())
        #expect(try await askedTogether() == [false, false, false], "one approval: nothing to take up")
        _ = try await province.approveEmergency(id: warning.id, by: approvers[1], at: Date())
        #expect(try await askedTogether() == [true, true, false])
        #expect(try await stores[0].recordTakeUp(of: warning.id, version: 2, at: Date()))
        #expect(try await askedTogether() == [false, true, false], "taken up by xa-a, still waiting for xa-b")
        await database.close()
    }
}
