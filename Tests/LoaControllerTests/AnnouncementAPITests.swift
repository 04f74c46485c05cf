import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaStore
import Testing

/// An officer's announcement through the API to the hamlets' documents, with no network:
/// the router is called directly and the broker is an in-memory link.
@Suite("Announcements through the API (no network)")
struct AnnouncementAPITests {
    @Test("an uploaded clip announced to one hamlet is stored, and that hamlet's document, signed, lists it; the other's is not touched")
    func announcementReachesItsHamletOnly() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        let upload = try await site.client.post("/api/v1/media", bearer: site.apiToken, body: try sampleAudio("chime.wav"))
        #expect(upload.status == 201)
        let media = try WireCoding.decode(MediaReference.self, from: upload.body)

        let leader = try await site.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        let startAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded())
        let sent = try await site.client.post(
            "/api/v1/announcements", bearer: leader,
            json: AnnouncementRequest(title: "Họp dân thôn Đông", category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: startAt))
        #expect(sent.status == 201)
        #expect(sent.text.contains(#""delivery":"published""#))

        let document = try #require(try site.document(of: "thon-a"))
        let item = try #require(document.items.first)
        #expect(document.items.count == 1)
        #expect(item.title == "Họp dân thôn Đông")
        // The item carries the levelling gain the controller measured at upload, and the
        // chunk root of the file's bytes (for playing it while it downloads).
        var levelled = media
        levelled.gainDb = item.media.gainDb
        levelled.chunks = MediaChunkList.of(try sampleAudio("chime.wav")).chunks
        #expect(item.media == levelled)
        #expect(item.media.gainDb != nil)
        #expect(item.startAt == startAt)
        #expect(try site.document(of: "thon-b") == nil)
    }

    @Test("with the broker away the announcement is stored and answered 'pending'; its document goes out when the broker is back")
    func brokerAwayThenBack() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        let media = try await site.controller.media.addAudio(try sampleAudio("chime.wav"))
        let leader = try await site.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        site.link.disconnect()

        let sent = try await site.client.post(
            "/api/v1/announcements", bearer: leader,
            json: AnnouncementRequest(title: "Lịch cắt điện", media: media.sha256, hamlets: ["thon-b"], startAt: Date().addingTimeInterval(600)))
        #expect(sent.status == 201)
        #expect(sent.text.contains(#""delivery":"pending""#))
        #expect(try site.document(of: "thon-b") == nil)

        site.link.reconnect()
        #expect(try await eventually(within: .seconds(5)) { try site.document(of: "thon-b")?.items.count == 1 })
    }

    @Test("without a token (401), as the admin (403: administering is not announcing) or as an emergency (422: two approvers) nothing is stored or published")
    func refusals() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        let media = try await site.controller.media.addAudio(try sampleAudio("chime.wav"))
        let request = AnnouncementRequest(title: "Bão số 9", priority: .emergency, media: media.sha256, hamlets: ["thon-a"])

        let anonymous = try await site.client.post("/api/v1/announcements", json: request)
        #expect(anonymous.status == 401)
        var normal = request
        normal.priority = .normal
        let admin = try await site.client.post("/api/v1/announcements", bearer: site.apiToken, json: normal)
        #expect(admin.status == 403)
        #expect(admin.text.contains("không được gửi thông báo (send announcements); cần vai trò (needs role) approver"))
        let leader = try await site.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        let emergency = try await site.client.post("/api/v1/announcements", bearer: leader, json: request)
        #expect(emergency.status == 422)
        #expect(emergency.text.contains("Tin khẩn cấp cần hai người duyệt"))
        #expect(try await site.controller.store.announcements(startingIn: Date.distantPast...Date.distantFuture).isEmpty)
        #expect(site.link.published.isEmpty)
    }
}
