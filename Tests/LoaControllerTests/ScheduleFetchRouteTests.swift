import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaProtocol
import LoaProvisioning
import LoaStore
import Testing

/// `GET /zones/{hamlet}/schedule`: the signed document a receiver fetches while its broker is away.
@Suite("A hamlet's document over HTTP (no network)")
struct ScheduleFetchRouteTests {
    @Test("a device gets its own hamlet's document exactly as published; not another hamlet's, not without its token, not once revoked")
    func ownHamletOnly() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        var registry = DeviceRegistry()
        let device = try registry.add(site: Commune.testSite.id, hamlet: "thon-a").username
        let registryFile = site.directory.path("controller/devices.json")
        try registry.save(to: registryFile)
        let token = "\(device):\(site.controller.mediaAccess.token(for: device))"

        #expect(try await site.client.get("/zones/thon-a/schedule", bearer: token).status == 404, "nothing published yet")
        let media = try await site.controller.media.addAudio(try sampleAudio("chime.wav"))
        try await site.controller.announcements.announce(AnnouncementRequest(
            title: "Họp dân", media: media.sha256, hamlets: ["thon-a"], startAt: Date().addingTimeInterval(600)))

        let fetched = try await site.client.get("/zones/thon-a/schedule", bearer: token)
        #expect(fetched.status == 200)
        let topic = Topics(site: Commune.testSite.id).zoneSchedule("thon-a")
        #expect(fetched.body == site.link.retained(on: topic)?.payload, "the envelope as published on the broker")
        var verifier = DownwardMessageVerifier(trusting: [site.controller.store.verifierKey])
        let opened = try verifier.open(fetched.body, topic: topic, now: Date()).get()
        #expect(try WireCoding.decode(ZoneSchedule.self, from: opened.payload).items.map(\.title) == ["Họp dân"])

        #expect(try await site.client.get("/zones/thon-b/schedule", bearer: token).status == 403)
        #expect(try await site.client.get("/zones/thon-a/schedule").status == 401)
        #expect(try await site.client.get("/zones/thon-a/schedule", bearer: "\(device):sai").status == 401)
        try registry.revoke(device)
        try registry.save(to: registryFile)
        #expect(try await site.client.get("/zones/thon-a/schedule", bearer: token).status == 403)
    }
}
