import Foundation
import LoaController
import LoaHarness
import LoaPostgresStore
import LoaStore
import Testing

/// The province's pages in Debian's headless Chromium on a phone (390×844) and a
/// laptop: a province officer signs in and proposes a typhoon warning to every
/// commune; an approver opens it. Nothing may scroll sideways; screenshots go to
/// `.test-artifacts/screenshots/layout-province-*.png`.
@Suite("The province's web console on a phone and a laptop", .serialized, .enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
struct ProvinceConsoleLayoutTests {
    static let password = "Bão số mười 2026 tỉnh"

    @Test("sign-in, the proposal form, an emergency's page and the accounts page fit 390 px and 1366 px, in Vietnamese")
    func pagesAtTwoSizes() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province-layout")
        defer { folder.remove() }
        let commune = try await Commune(store: try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password")))
        let province = try await PostgresProvince(connection: try #require(try commune.controller.configuration.postgresConnection()))
        defer { province.close() }
        try await province.addProvinceUser(
            ProvinceUser(name: "so-ttt", displayName: "Sở Thông tin và Truyền thông", roles: [.officer]), password: Self.password, at: Date())
        try await province.addProvinceUser(
            ProvinceUser(name: "pho-chu-tich", displayName: "Phó Chủ tịch UBND tỉnh", roles: [.approver]), password: Self.password, at: Date())
        try await province.addProvinceUser(
            ProvinceUser(name: "quan-tri", displayName: "Văn phòng UBND tỉnh (quản trị)", roles: [.admin]), password: Self.password, at: Date())
        let browser = try await ConsoleBrowser()
        let base = "http://127.0.0.1:\(commune.httpPort)"
        do {
            _ = try await browser.visitAtEverySize("province-login", URL(string: "\(base)/province/login")!)
            try await signIn(browser, "so-ttt")
            let desk = try await browser.visitAtEverySize("province-desk", URL(string: "\(base)/province")!)
            #expect(desk.contains("Soạn tin khẩn cấp cho nhiều xã") && desk.contains("Xã Thử Nghiệm"), "\(desk.prefix(800))")
            try await browser.fill("#title", "Cảnh báo bão số 10")
            try await browser.fill("#text", "Bão số 10 đang tiến vào đất liền. Bà con chằng chống nhà cửa, tàu thuyền vào nơi tránh trú an toàn.")
            try await browser.check("input[name=all]")
            try await browser.click("form[action='/province/emergencies'] button[type=submit]")
            let page = try await browser.location()
            #expect(page.path.hasPrefix("/province/emergencies/tinh-"), "\(page)")
            let proposed = try await browser.visitAtEverySize("province-emergency", page)
            #expect(proposed.contains("Chờ duyệt 0/2") && proposed.contains("Xã Thử Nghiệm") && proposed.contains("chưa nhận"))
            #expect(proposed.contains("Sở Thông tin và Truyền thông") && !proposed.contains("so-ttt"), "people by name, not account")
            try await browser.click("form.logout button")
            try await signIn(browser, "pho-chu-tich")
            let approver = try await browser.visitAtEverySize("province-approve", URL(string: base + page.path)!)
            #expect(approver.contains("Duyệt tin này") && approver.contains("Hủy tin ở mọi xã"))
            try await browser.click("form.logout button")
            try await signIn(browser, "quan-tri")
            let accounts = try await browser.visitAtEverySize("province-accounts", URL(string: "\(base)/province/accounts")!)
            #expect(accounts.contains("Tài khoản của tỉnh") && accounts.contains("Phó Chủ tịch UBND tỉnh") && accounts.contains("Thêm tài khoản"))
        } catch {
            print("chromium said: \((try? String(contentsOfFile: browser.logFile, encoding: .utf8))?.suffix(3000) ?? "")")
            browser.close()
            await commune.stop()
            throw error
        }
        browser.close()
        await commune.stop()
    }

    private func signIn(_ browser: ConsoleBrowser, _ name: String) async throws {
        try await browser.fill("#name", name)
        try await browser.fill("#password", Self.password)
        try await browser.click("form[action='/province/login'] button[type=submit]")
    }
}
