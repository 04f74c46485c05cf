import Foundation
import HTTPTypes
import LoaController
import LoaHarness
import LoaPostgresStore
import LoaStore
import Testing

/// The province's accounts administered on the web (`/province/accounts`) through a
/// controller's router, on the province's PostgreSQL database: only an administrator
/// sees and changes them; a disabled account or one given a new password is signed
/// out at once; sign-ins are on the trail beside the changes.
@Suite("Province accounts on the web (PostgreSQL, no network)")
struct ProvinceAccountsTests {
    typealias Browser = ProvinceConsoleTests.Browser
    static let password = ProvinceConsoleTests.password

    @Test("an administrator adds an account (a weak password refused, the form kept), disables it (signed out, refused at sign-in), enables it, sets a new password (signed out, the old one refused), gives it other roles (holding from its next page), each change and each sign-in on the audit trail; an officer may do none of it")
    func administeredOnTheWeb() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province-accounts")
        defer { folder.remove() }
        let routed = try await RoutedController(store: try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password")))
        defer { routed.directory.remove() }
        let province = try await PostgresProvince(connection: try #require(try routed.controller.configuration.postgresConnection()))
        defer { province.close() }
        for (name, role) in [("quan-tri", ProvinceUser.Role.admin), ("so-ttt", .officer)] {
            try await province.addProvinceUser(ProvinceUser(name: name, displayName: "Tỉnh \(name)", roles: [role]), password: Self.password, at: Date())
        }

        // An officer sees no accounts and changes none.
        var officer = Browser(client: routed.client)
        try await officer.signIn("so-ttt")
        #expect(!(try await officer.get("/province").text.contains("/province/accounts")), "no link for an officer")
        let forbidden = try await officer.get("/province/accounts")
        #expect(forbidden.status == 403 && forbidden.text.contains("Chỉ người quản trị tài khoản"))
        let officerCSRF = try ProvinceConsoleTests.hidden("csrf", in: try await officer.get("/province").text)
        let added = [("action", "add"), ("name", "pho-chu-tich"), ("display", "Phó Chủ tịch UBND tỉnh"), ("role-approver", "on")]
        #expect(try await officer.post("/province/accounts", [("csrf", officerCSRF)] + added + [("password", Self.password)]).status == 403)
        #expect(try await province.provinceAccounts().count == 2, "nothing stored")

        var admin = Browser(client: routed.client)
        try await admin.signIn("quan-tri")
        let page = try await admin.get("/province/accounts")
        #expect(page.status == 200 && page.text.contains("<a href=\"/province/accounts\">") && page.text.contains("Tỉnh so-ttt"))
        let csrf = try ProvinceConsoleTests.hidden("csrf", in: page.text)

        // Added: refused without the CSRF token; a weak password refused with the form kept, no password echoed.
        #expect(try await admin.post("/province/accounts", added + [("password", Self.password)]).status == 403)
        let weak = try await admin.post("/province/accounts", [("csrf", csrf)] + added + [("password", "ngan")])
        #expect(weak.status == 422 && weak.text.contains("ít nhất 12 ký tự"), "\(weak.text)")
        #expect(weak.text.contains("value=\"pho-chu-tich\"") && weak.text.contains("Phó Chủ tịch UBND tỉnh") && !weak.text.contains("ngan\""))
        let stored = try await admin.post("/province/accounts", [("csrf", csrf)] + added + [("password", Self.password)])
        #expect(stored.status == 303 && stored.headers[.location] == "/province/accounts?done=added")
        let account = try #require(try await province.provinceAccounts().first { $0.user.name == "pho-chu-tich" })
        #expect(account.user.roles == [.approver] && account.createdBy == "quan-tri" && account.isActive)
        #expect(try await admin.post("/province/accounts", [("csrf", csrf)] + added + [("password", Self.password)]).text.contains("đã có"))

        // Disabled: its session ends at once and it cannot sign in; one's own account cannot be.
        var deputy = Browser(client: routed.client)
        try await deputy.signIn("pho-chu-tich")
        #expect(try await deputy.get("/province").status == 200)
        #expect(try await admin.post("/province/accounts/pho-chu-tich/disable", [("csrf", csrf)]).headers[.location] == "/province/accounts?done=disabled")
        #expect(try await deputy.get("/province").headers[.location] == "/province/login", "signed out")
        #expect(try await deputy.post("/province/login", [("name", "pho-chu-tich"), ("password", Self.password)]).status == 401)
        #expect(try await admin.get("/province/accounts").text.contains("Đã khóa"))
        let own = try await admin.post("/province/accounts/quan-tri/disable", [("csrf", csrf)])
        #expect(own.status == 409 && own.text.contains("Không tự khóa tài khoản của mình"))
        #expect(try await admin.post("/province/accounts/khong-co/disable", [("csrf", csrf)]).status == 404)

        // Enabled again, then a new password: signed out, the old password refused, the new one works.
        #expect(try await admin.post("/province/accounts/pho-chu-tich/enable", [("csrf", csrf)]).status == 303)
        try await deputy.signIn("pho-chu-tich")
        let newPassword = "Mật khẩu mới của phó chủ tịch"
        let set = try await admin.post("/province/accounts/password", [("csrf", csrf), ("name", "pho-chu-tich"), ("password", newPassword)])
        #expect(set.headers[.location] == "/province/accounts?done=password")
        #expect(try await deputy.get("/province").headers[.location] == "/province/login", "signed out")
        #expect(try await deputy.post("/province/login", [("name", "pho-chu-tich"), ("password", Self.password)]).status == 401)
        try await deputy.signIn("pho-chu-tich", password: newPassword)

        // New roles hold from the deputy's next page, without signing in again; one's own
        // roles and none at all are refused, and the form offers no own account.
        #expect(try await deputy.get("/province/accounts").status == 403)
        let roles = [("csrf", csrf), ("action", "roles"), ("name", "pho-chu-tich"), ("role-approver", "on"), ("role-admin", "on")]
        #expect(try await admin.post("/province/accounts/roles", roles).headers[.location] == "/province/accounts?done=roles")
        #expect(try await deputy.get("/province/accounts").status == 200, "an administrator now")
        #expect(try await province.provinceAccounts().first { $0.user.name == "pho-chu-tich" }?.user.roles == [.approver, .admin])
        let ownRoles = try await admin.post("/province/accounts/roles", [("csrf", csrf), ("name", "quan-tri"), ("role-officer", "on")])
        #expect(ownRoles.status == 409 && ownRoles.text.contains("Không tự đổi vai trò của mình"))
        let noRole = try await admin.post("/province/accounts/roles", [("csrf", csrf), ("action", "roles"), ("name", "so-ttt")])
        #expect(noRole.status == 422 && noRole.text.contains("Cần ít nhất một vai trò"))
        let rolesForm = try #require(try await admin.get("/province/accounts").text
            .components(separatedBy: "action=\"/province/accounts/roles\"").last?.components(separatedBy: "</form>").first)
        #expect(rolesForm.contains("<option value=\"so-ttt\">") && !rolesForm.contains("<option value=\"quan-tri\">"))
        #expect(try await province.provinceAccounts().first { $0.user.name == "so-ttt" }?.user.roles == [.officer], "unchanged")

        // Signed out: on the trail, and the session is gone.
        let deputyCSRF = try ProvinceConsoleTests.hidden("csrf", in: try await deputy.get("/province").text)
        #expect(try await deputy.post("/province/logout", [("csrf", deputyCSRF)]).headers[.location] == "/province/login")
        #expect(try await deputy.get("/province").headers[.location] == "/province/login")

        // Every change is on the province's audit trail, with who made it; refusals left no line.
        let trail = try await province.provinceAccountAudit(.accountChanges, limit: 10)
        #expect(trail.map(\.action) == [.rolesSet, .passwordSet, .userEnabled, .userDisabled, .userAdded, .userAdded, .userAdded], "\(trail)")
        #expect(trail.prefix(5).allSatisfy { $0.actor == "quan-tri" && $0.subject == "pho-chu-tich" })
        #expect(trail[0].detail == "admin,approver" && trail[4].detail == "approver" && trail[5].actor == ConsoleAuditEntry.commandLineActor)
        // And every sign-in, refusal and sign-out on its own part of the trail.
        let signIns = try await province.provinceAccountAudit(.signIns, limit: 20)
        #expect(signIns.map(\.action) == [
            .logout, .loginSucceeded, .loginFailed, .loginSucceeded, .loginFailed, .loginSucceeded, .loginSucceeded, .loginSucceeded,
        ], "\(signIns)")
        #expect(signIns.map { $0.subject ?? "" } == [
            "pho-chu-tich", "pho-chu-tich", "pho-chu-tich", "pho-chu-tich", "pho-chu-tich", "pho-chu-tich", "quan-tri", "so-ttt",
        ])
        #expect(signIns.filter { $0.action == .loginFailed }.allSatisfy { $0.actor == nil }, "a refused name is no actor")
        let shown = try await admin.get("/province/accounts").text
        #expect(shown.contains("Nhật ký thay đổi tài khoản") && shown.contains("khóa người dùng") && shown.contains("Phó Chủ tịch UBND tỉnh"))
        #expect(shown.contains("Nhật ký đăng nhập") && shown.contains("đăng nhập sai") && shown.contains("đổi vai trò"))
    }

    @Test("two administrators disabling each other at once: one of them stays, and a change of roles cannot take it from them")
    func lastAdministratorStays() async throws {
        let province = try await PostgresProvince(connection: try await SharedPostgres.freshDatabase())
        defer { province.close() }
        for name in ["quan-tri-1", "quan-tri-2"] {
            try await province.addProvinceUser(ProvinceUser(name: name, displayName: name, roles: [.admin]), password: Self.password, at: Date())
        }
        let outcomes = await withTaskGroup(of: Result<Void, any Error>.self) { group in
            for (name, by) in [("quan-tri-2", "quan-tri-1"), ("quan-tri-1", "quan-tri-2")] {
                group.addTask { await Result { try await province.disableProvinceUser(name, by: by, at: Date()) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refused = outcomes.compactMap { outcome -> ProvinceAccountError? in
            if case .failure(let error) = outcome { return error as? ProvinceAccountError }
            return nil
        }
        #expect(refused == [.lastAdministrator], "\(outcomes)")
        let accounts = try await province.provinceAccounts()
        #expect(accounts.filter(\.isActive).count == 1)

        // Nor can the last active administrator lose the role to another's change of roles.
        let stays = try #require(accounts.first { $0.isActive })
        let gone = try #require(accounts.first { !$0.isActive })
        await #expect(throws: ProvinceAccountError.lastAdministrator) {
            try await province.setProvinceUserRoles(stays.user.name, roles: [.officer], by: gone.user.name, at: Date())
        }
        try await province.setProvinceUserRoles(gone.user.name, roles: [.officer], by: stays.user.name, at: Date())
        let roles = Dictionary(uniqueKeysWithValues: try await province.provinceAccounts().map { ($0.user.name, $0.user.roles) })
        #expect(roles == [stays.user.name: [.admin], gone.user.name: [.officer]])
    }
}

extension Result where Failure == any Error {
    /// The outcome of `body`.
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
