import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaStore
import Testing

/// A relay composed in the console: its sources and minutes become a relay programme
/// awaiting approval; a controller without a relay says so before anything is stored.
@Suite("Relays from the console's programme form")
struct ConsoleRelayFormTests {
    /// Logs an officer in; returns the client, its cookie and CSRF token.
    static func officer(of commune: Commune) async throws -> (SessionClient, String, String) {
        _ = try await commune.controller.store.addUser(
            name: "can-bo-vh", displayName: "Cán bộ", roles: [.officer], password: ConsoleRoutesTests.password, at: Date())
        try await commune.controller.programmes.applySchedule(SampleSchedule.make(quietHours: []), sourceFiles: [:], by: "can-bo-vh")
        let client = SessionClient(base: URL(string: "http://127.0.0.1:\(commune.httpPort)")!)
        let login = try await client.call(
            "POST", "login", body: Data(#"{"name":"can-bo-vh","password":"\#(ConsoleRoutesTests.password)"}"#.utf8))
        let cookie = String(try #require(login.setCookie?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
        let csrf = try #require(try JSONSerialization.jsonObject(with: login.body) as? [String: Any])["csrfToken"] as? String
        return (client, cookie, try #require(csrf))
    }

    static func form(sources: String, minutes: String, action: String, id: String = "tiep-song-tinh") -> Data {
        let encoded = sources.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Data(("id=\(id)&title=Ti%E1%BA%BFp+s%C3%B3ng+%C4%91%C3%A0i+t%E1%BB%89nh&category=news&priority=normal&kind=relay"
            + "&relaySources=\(encoded)&relayMinutes=\(minutes)&hamlet-thon-a=on&hamlet-thon-b=on&days=daily&timing=at&times=17%3A00"
            + "&action=\(action)").utf8)
    }

    @Test("sources one a line and minutes become a relay programme awaiting approval; bad addresses and lengths are named")
    func relaySubmitted() async throws {
        let commune = try await Commune(relay: { folder in
            let file = folder.path("icecast-source.password")
            try "mat-khau-nguon".write(to: file, atomically: true, encoding: .utf8)
            return RelaySettings(icecastURL: "http://127.0.0.1:8000", sourcePasswordFile: file.path)
        })
        let (client, cookie, csrf) = try await Self.officer(of: commune)
        func post(_ body: Data) async throws -> SessionClient.Answer {
            try await client.call("POST", "console/announcements", cookie: cookie, csrf: csrf, body: body, contentType: "application/x-www-form-urlencoded")
        }
        let wrong = try await post(Self.form(sources: "vov1.mp3", minutes: "0", action: "preview"))
        #expect(wrong.text.contains("không phải địa chỉ http(s)") && wrong.text.contains("từ 1 đến 240 phút"), "\(wrong.text.prefix(2000))")

        let sources = "https://str.vov.gov.vn/vov1/playlist.m3u8\nhttp://radio.tinh.gov.vn:8000/fm.mp3"
        let submitted = try await post(Self.form(sources: sources, minutes: "30", action: "submit"))
        // The answer redirects to the dashboard (followed by the client), which names what was submitted.
        #expect(submitted.status == 200 && submitted.text.contains("tiep-song-tinh"), "\(submitted.text.prefix(2000))")
        let active = try #require(try await commune.controller.store.activeSchedule())
        let programme = try #require(active.schedule.programmes.first { $0.id == "tiep-song-tinh" })
        #expect(programme.content == .relay(sources: ["https://str.vov.gov.vn/vov1/playlist.m3u8", "http://radio.tinh.gov.vn:8000/fm.mp3"]))
        #expect(programme.durationSeconds == 1800)
        await commune.stop()
    }

    @Test("a controller without a relay says so in the preview")
    func noRelaySetUp() async throws {
        let commune = try await Commune()
        let (client, cookie, csrf) = try await Self.officer(of: commune)
        let preview = try await client.call(
            "POST", "console/announcements", cookie: cookie, csrf: csrf,
            body: Self.form(sources: "https://radio.tinh.gov.vn/fm.mp3", minutes: "30", action: "preview"),
            contentType: "application/x-www-form-urlencoded")
        #expect(preview.text.contains("máy chủ chưa cấu hình tiếp sóng"), "\(preview.text.prefix(2000))")
        await commune.stop()
    }
}
