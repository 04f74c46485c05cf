import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Testing

/// A province runs several controllers for one commune on one PostgreSQL database:
/// any of them serves the API and publishes, and what they do adds up to one
/// commune's history.
@Suite("Several controllers on one PostgreSQL (no network)")
struct SeveralControllersTests {
    @Test("what one controller stores the other serves; a hamlet's document versions grow across both; the log is one gap-free sequence")
    func twoControllersOneCommune() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-province")
        defer { folder.remove() }
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let first = try await RoutedController(store: store)
        defer { first.directory.remove() }
        let second = try await RoutedController(store: store, keysOf: first)
        defer { second.directory.remove() }

        let media = try await first.controller.media.addAudio(try sampleAudio("chime.wav"))
        let leader = try await first.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        let startAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded())
        let sent = try await first.client.post(
            "/api/v1/announcements", bearer: leader,
            json: AnnouncementRequest(title: "Họp dân thôn Đông", category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: startAt))
        #expect(sent.status == 201)
        let announced = try #require(try await second.controller.store.announcements(forHamlet: "thon-a", startingIn: startAt...startAt).first)
        let fromFirst = try #require(try first.document(of: "thon-a"))

        // The leader's token works on the second controller too: users are the commune's.
        let delivery = try await second.client.get("/api/v1/deliveries/\(announced.id)", bearer: leader)
        #expect(delivery.status == 200, "\(delivery.text)")
        #expect(delivery.text.contains("Họp dân thôn Đông"))

        try await second.controller.dispatcher.publishAllSchedules()
        let fromSecond = try #require(try second.document(of: "thon-a"))
        #expect(fromSecond.version == fromFirst.version + 1, "a hamlet's versions only grow, whichever controller publishes")
        #expect(fromSecond.items.map(\.id) == fromFirst.items.map(\.id))

        try await second.controller.store.record(
            DeviceEvent(
                id: "missed-by-controller:x", device: DeviceEvent.controllerDevice, site: Commune.testSite.id, zone: "thon-a",
                item: "x@thon-a", kind: .missed, at: Date(), reason: "test"),
            receivedAt: Date())
        let entries = try await first.controller.store.logEntries()
        #expect(entries.map(\.index) == [0, 1], "the announcement (first) and the record (second), one sequence")
        let postgres = try #require(first.controller.store as? PostgresStore)
        let report = try await postgres.verifyLog(keys: [first.controller.store.verifierKey])
        #expect(report.isIntact, "\(report.problems)")
        #expect(first.controller.store.verifierKey == second.controller.store.verifierKey)
    }
}
