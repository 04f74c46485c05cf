import Foundation
@testable import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Testing

/// The province sends one emergency to many communes on its shared PostgreSQL
/// database: a province officer proposes it, two different province approvers
/// approve it, and each addressed commune's controller takes it into its own
/// schedule once, as an approved emergency logged with the province people's names.
@Suite("A province's emergency to many communes (PostgreSQL, no network)")
struct ProvinceEmergencyTests {
    static let password = "Bão số chín 2026 tỉnh"

    @Test("two different province approvers, then every addressed commune takes it up exactly once, logged in its own log; others never")
    func twoPersonRuleThenEveryCommune() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province-emergency")
        defer { folder.remove() }
        let connection = try await SharedPostgres.freshDatabase()
        let passwordFile = folder.path("pg-password")
        try Data(connection.password.utf8).write(to: passwordFile)
        let settings = ControllerConfiguration.StoreSettings(
            engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
            passwordFile: passwordFile.path, database: connection.database, secretsKeyFile: folder.path("secrets.key").path)
        let anPhu = Site(id: "xa-an-phu", name: "Xã An Phú", hamlets: Commune.testSite.hamlets)
        let elsewhere = Site(id: "xa-vinh-loc", name: "Xã Vĩnh Lộc", hamlets: Commune.testSite.hamlets)
        let first = try await RoutedController(store: settings)
        let second = try await RoutedController(store: settings)
        let other = try await RoutedController(site: anPhu, store: settings)
        let notAddressed = try await RoutedController(site: elsewhere, store: settings)
        defer { for routed in [first, second, other, notAddressed] { routed.directory.remove() } }
        for routed in [first, other, notAddressed] {
            try await routed.controller.programmes.applySchedule(
                SampleSchedule.make(site: routed.controller.configuration.site.id), sourceFiles: [:], by: "can-bo-vh")
        }

        let province = try await PostgresProvince(connection: connection)
        defer { province.close() }
        let officer = ProvinceUser(name: "so-ttt", displayName: "Sở Thông tin và Truyền thông", roles: [.officer])
        let deputy = ProvinceUser(name: "pho-chu-tich-tinh", displayName: "Phó Chủ tịch UBND tỉnh", roles: [.approver])
        let chief = ProvinceUser(name: "chanh-van-phong", displayName: "Chánh Văn phòng UBND tỉnh", roles: [.approver])
        await #expect(throws: ProvinceEmergencyError.self, "no weak password") {
            try await province.addProvinceUser(officer, password: "123456", at: Date())
        }
        for user in [officer, deputy, chief] { try await province.addProvinceUser(user, password: Self.password, at: Date()) }
        #expect(try await province.provinceUser(named: "so-ttt", password: "sai") == nil)
        #expect(try await province.provinceUser(named: "so-ttt", password: Self.password) == officer)

        let startAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 900).rounded())
        let warning = ProvinceEmergency(
            id: "bao-so-9", title: "Cảnh báo bão số 9", text: "Bão số 9 sắp đổ bộ. Bà con chằng chống nhà cửa, không ra khơi.",
            communes: [Commune.testSite.id, anPhu.id], startAt: startAt, proposedBy: officer.name, proposedAt: Date())
        await #expect(throws: ProvinceEmergencyError.notAllowed(user: deputy.name, needs: .officer)) {
            try await province.propose(warning, by: deputy)
        }
        var misspelt = warning
        (misspelt.id, misspelt.communes) = ("bao-so-9-sai", [Commune.testSite.id, "xa-an-phuu"])
        await #expect(throws: ProvinceEmergencyError.invalid(["Không có xã xa-an-phuu trên cơ sở dữ liệu của tỉnh (no commune xa-an-phuu on the province's database)"]),
                      "a misspelt commune would never hear it") {
            try await province.propose(misspelt, by: officer)
        }
        try await province.propose(warning, by: officer)
        await #expect(throws: ProvinceEmergencyError.notAllowed(user: officer.name, needs: .approver)) {
            _ = try await province.approveEmergency(id: warning.id, by: officer, at: Date())
        }
        let once = try await province.approveEmergency(id: warning.id, by: deputy, at: Date())
        #expect(!once.isApproved)
        await #expect(throws: ProvinceEmergencyError.alreadyApproved(by: deputy.name)) {
            _ = try await province.approveEmergency(id: warning.id, by: deputy, at: Date())
        }
        #expect(try await first.controller.provinceIntake?.takeUp() == [], "one approval is not enough: nothing is taken up")

        let twice = try await province.approveEmergency(id: warning.id, by: chief, at: Date())
        #expect(twice.isApproved)
        // Both controllers of the commune try at once: it is taken up once.
        async let byFirst = first.controller.provinceIntake?.takeUp() ?? []
        async let bySecond = second.controller.provinceIntake?.takeUp() ?? []
        let taken = try await byFirst + bySecond
        #expect(taken == ["bao-so-9"], "\(taken)")
        #expect(try await first.controller.provinceIntake?.takeUp() == [], "nothing left to take up")
        #expect(try await other.controller.provinceIntake?.takeUp() == ["bao-so-9"])
        #expect(try await notAddressed.controller.provinceIntake?.takeUp() == [])

        for routed in [first, other] {
            let store = routed.controller.store
            let active = try #require(try await store.activeSchedule())
            let programme = try #require(active.schedule.programmes.first { $0.id == "tinh-bao-so-9" })
            #expect(programme.priority == .emergency && programme.category == .emergency && programme.title == "Cảnh báo bão số 9")
            let status = try #require(try await store.approvalStatus(version: active.version).first { $0.programmeID == "tinh-bao-so-9" })
            #expect(status.isApproved && Set(status.approvers.map(\.name)) == ["tinh:pho-chu-tich-tinh", "tinh:chanh-van-phong"])
            #expect(active.appliedBy == "tinh:so-ttt", "the commune's log says who in the province sent it")
            let approvals = try await store.logEntries().compactMap { entry -> String? in
                if case .approval(let approval) = entry.content, approval.programme == "tinh-bao-so-9" { return approval.by }
                return nil
            }
            #expect(approvals.sorted() == ["tinh:chanh-van-phong", "tinh:pho-chu-tich-tinh"], "each approval logged once: \(approvals)")
            let report = try await #require(store as? PostgresStore).verifyLog(keys: [store.verifierKey])
            #expect(report.isIntact, "\(report.problems)")
        }
        // The hamlets' signed documents carry it, as any approved emergency.
        let documents = try [first, second, other].flatMap { routed in try ["thon-a", "thon-b"].compactMap { try routed.document(of: $0) } }
        for hamlet in ["thon-a", "thon-b"] {
            let carried = documents.contains { document in
                document.zone == hamlet && document.items.contains { $0.id.hasPrefix("tinh-bao-so-9@") }
            }
            #expect(carried, "\(hamlet)")
        }
        #expect(try await notAddressed.controller.store.activeSchedule()?.schedule.programmes.contains { $0.id == "tinh-bao-so-9" } == false)
        // How far it reached: receivers counted once per kind, in the commune that took it up.
        // (Whichever of the commune's two controllers took it up published the document.)
        let item = try #require(try [first, second].compactMap { try $0.document(of: "thon-a") }.flatMap(\.items)
            .first { $0.id.hasPrefix("tinh-bao-so-9@") })
        for (id, device, kind) in [("e1", "loa-a1", DeviceEvent.Kind.ready), ("e2", "loa-a1", .started), ("e3", "loa-a1", .started),
                                   ("e4", "loa-a2", .ready)] {
            _ = try await first.controller.store.record(
                DeviceEvent(id: id, device: device, site: Commune.testSite.id, zone: "thon-a", item: item.id, kind: kind, at: Date()),
                receivedAt: Date())
        }
        let takeUps = try await province.takeUps(of: warning.id)
        #expect(Set(takeUps.keys) == [Commune.testSite.id, anPhu.id])
        let reach = try #require(takeUps[Commune.testSite.id])
        #expect(reach.receiversReady == 2 && reach.receiversStarted == 1 && reach.receiversFinished == 0, "\(reach)")
        #expect(takeUps[anPhu.id]?.receiversReady == 0)

        // The province withdraws it: each commune takes it out of its schedule at its next run.
        try await province.cancelEmergency(id: warning.id, by: deputy, at: Date())
        #expect(try await second.controller.provinceIntake?.takeUp() == [])
        #expect(try await other.controller.provinceIntake?.takeUp() == [])
        for routed in [first, other] {
            let active = try #require(try await routed.controller.store.activeSchedule())
            #expect(!active.schedule.programmes.contains { $0.id == "tinh-bao-so-9" } && active.appliedBy == "tinh:pho-chu-tich-tinh")
        }
    }

    @Test("the province's officers and approvers at the command line: loa province add-user, propose, approve twice, status")
    func commandLine() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province-cli")
        defer { folder.remove() }
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let routed = try await RoutedController(store: store)
        defer { routed.directory.remove() }
        try await routed.controller.programmes.applySchedule(SampleSchedule.make(), sourceFiles: [:], by: "can-bo-vh")
        let settings = folder.path("controller.json")
        try JSONEncoder().encode(routed.controller.configuration).write(to: settings)
        let passwords = folder.path("password")
        try Data((Self.password + "\n").utf8).write(to: passwords)
        var run = 0
        /// Runs `loa ARGS`: its exit status and what it printed.
        func loa(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            run += 1
            let output = folder.path("out-\(run).txt").path
            let status = await ChildProcess.ended(try ChildProcess.spawn(loaExecutable(), arguments, log: output))
            return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }
        let common = ["--config", settings.path]
        for (name, role) in [("so-ttt", "officer"), ("pho-chu-tich-tinh", "approver"), ("chanh-van-phong", "approver")] {
            let added = try await loa(["province", "add-user", name, "--role", role, "--display-name", name, "--password-file", passwords.path] + common)
            #expect(added.status == 0, "\(added.output)")
        }
        let proposed = try await loa(["province", "propose", "--as", "so-ttt", "--password-file", passwords.path, "--communes", Commune.testSite.id,
                                "--title", "Cảnh báo lũ quét", "--text", "Lũ quét có thể xảy ra đêm nay.", "--in-minutes", "30"] + common)
        #expect(proposed.status == 0, "\(proposed.output)")
        let id = String(proposed.output.split(separator: "\n").first { $0.hasPrefix("tinh-") } ?? "")
        let wrong = try await loa(["province", "approve", id, "--as", "so-ttt", "--password-file", passwords.path] + common)
        #expect(wrong.status != 0 && wrong.output.contains("so-ttt không có vai trò người duyệt"), "\(wrong.output)")
        for approver in ["pho-chu-tich-tinh", "chanh-van-phong"] {
            let approved = try await loa(["province", "approve", id, "--as", approver, "--password-file", passwords.path] + common)
            #expect(approved.status == 0, "\(approved.output)")
        }
        #expect(try await routed.controller.provinceIntake?.takeUp() == [id])
        let status = try await loa(["province", "status", id] + common)
        #expect(status.output.contains("\(Commune.testSite.id): đã nhận"), "\(status.output)")
    }
}
