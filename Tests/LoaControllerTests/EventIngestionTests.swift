import Foundation
@testable import LoaController
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaPostgresStore
import LoaProtocol
import LoaProvisioning
import LoaStore
import Testing

/// What devices report, from the broker link to the log and back as a receipt, with
/// no network: the controller's ingestion runs on an in-memory link.
@Suite("Device events in, receipts out (no network)")
struct EventIngestionTests {
    @Test("a registered device's event about an item its hamlet was sent is logged once and receipted, signed; a resend is receipted and not logged again")
    func loggedAndReceipted() async throws {
        let (site, device, item) = try await Self.hamletWithOneItem()
        defer { site.directory.remove() }
        let ingesting = try await Self.startIngesting(site)
        defer { ingesting.cancel() }

        let event = Self.event(.received, item: item, device: device, zone: "thon-a")
        site.link.deliver(try WireCoding.encode(event), on: Self.topics.deviceEvents(device), retain: false)
        _ = try await eventually(within: .seconds(5)) { try Self.receipted(site, device).count == 1 }
        // The device got no receipt (say) and sends it again.
        site.link.deliver(try WireCoding.encode(event), on: Self.topics.deviceEvents(device), retain: false)
        _ = try await eventually(within: .seconds(5)) { try Self.receipted(site, device).count == 2 }

        let receipts = try Self.receipted(site, device)
        #expect(receipts == [[event.id], [event.id]])
        #expect(try await site.controller.store.events(item: item, device: device).map(\.id) == [event.id])
    }

    @Test("an event naming another hamlet is refused: not logged, kept as evidence for operators, still receipted so the device stops resending")
    func foreignHamletRefused() async throws {
        let (site, device, item) = try await Self.hamletWithOneItem()
        defer { site.directory.remove() }
        let ingesting = try await Self.startIngesting(site)
        defer { ingesting.cancel() }

        let forged = Self.event(.finished, item: item, device: device, zone: "thon-b")
        site.link.deliver(try WireCoding.encode(forged), on: Self.topics.deviceEvents(device), retain: false)

        #expect(try await eventually(within: .seconds(5)) { try Self.receipted(site, device) == [[forged.id]] })
        #expect(try await site.controller.store.events(item: item).isEmpty)
        let operatorToken = try await site.token(for: "van-hanh", displayName: "Lê Văn Hải", roles: [.operator])
        let evidence = try await site.client.get("/api/v1/devices/refused-events?device=\(device)", bearer: operatorToken)
        #expect(evidence.status == 200)
        let refused = try WireCoding.decode([RefusedEvent].self, from: evidence.body)
        #expect(refused.map(\.eventID) == [forged.id])
        #expect(refused.first?.excerpt.contains("thon-b") == true)
    }

    @Test(
        "U+0000 in an event's id or reason, or a raw NUL byte in a message, is refused and kept as evidence (PostgreSQL's text cannot hold it); the good event beside them is logged and receipted",
        arguments: [false, true])
    func nulRefused(onPostgres: Bool) async throws {
        let folder = try TemporaryDirectory(prefix: "loa-nul-events")
        defer { folder.remove() }
        let (site, device, item) = try await Self.hamletWithOneItem(store: onPostgres ? try await Self.postgresSettings(in: folder) : nil)
        defer { site.directory.remove() }
        // On PostgreSQL the controller takes events in while it holds the commune's `events` lease (no jobs run here).
        site.controller.eventsLease?.renewed(at: Date(), for: 600)
        let ingesting = try await Self.startIngesting(site)
        defer { ingesting.cancel() }

        let good = Self.event(.received, item: item, device: device, zone: "thon-a")
        var nulReason = Self.event(.failed, item: item, device: device, zone: "thon-a")
        nulReason.reason = "loa hỏng\u{0}"
        var nulID = Self.event(.finished, item: item, device: device, zone: "thon-a")
        nulID.id = "finished\u{0}:\(item)"
        let topic = Self.topics.deviceEvents(device)
        for event in [nulID, nulReason, good] { site.link.deliver(try WireCoding.encode(event), on: topic, retain: false) }
        site.link.deliver(Data("{\"id\":\"a\u{0}b\"}".utf8), on: topic, retain: false)

        #expect(try await eventually(within: .seconds(10)) {
            Set(try Self.receipted(site, device).joined()) == [good.id, nulReason.id]
        })
        #expect(try await site.controller.store.events(item: item, device: device).map(\.id) == [good.id])
        let operatorToken = try await site.token(for: "van-hanh", displayName: "Lê Văn Hải", roles: [.operator])
        let refused = try await eventually(within: .seconds(10)) {
            let evidence = try await site.client.get("/api/v1/devices/refused-events?device=\(device)", bearer: operatorToken)
            return try WireCoding.decode([RefusedEvent].self, from: evidence.body).count == 3
        }
        #expect(refused, "the three refused messages are kept")
    }

    @Test("on PostgreSQL a controller subscribes to the devices' events only while it holds the commune's `events` lease")
    func subscribedWhileLeaseHeld() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-events-lease")
        defer { folder.remove() }
        let (site, device, item) = try await Self.hamletWithOneItem(store: try await Self.postgresSettings(in: folder))
        defer { site.directory.remove() }
        let lease = try #require(site.controller.eventsLease)
        let ingesting = Task { try await site.controller.ingestion.run() }
        defer { ingesting.cancel() }
        _ = try await eventually(within: .seconds(5)) { site.link.subscriptions.contains(Self.topics.allDeviceStates) }
        #expect(!site.link.subscriptions.contains(Self.topics.allDeviceEvents), "not subscribed before the lease is taken")

        lease.renewed(at: Date(), for: 600)
        #expect(try await eventually(within: .seconds(5)) { site.link.subscriptions.contains(Self.topics.allDeviceEvents) })
        let event = Self.event(.received, item: item, device: device, zone: "thon-a")
        site.link.deliver(try WireCoding.encode(event), on: Self.topics.deviceEvents(device), retain: false)
        #expect(try await eventually(within: .seconds(10)) { try Self.receipted(site, device) == [[event.id]] })

        // Renewed again: still subscribed. Lost to another controller: the subscription is given up.
        lease.renewed(at: Date(), for: 600)
        lease.lost()
        #expect(try await eventually(within: .seconds(5)) { !site.link.subscriptions.contains(Self.topics.allDeviceEvents) })
        #expect(site.link.subscriptions.contains(Self.topics.allDeviceStates), "states are still taken in")
        lease.renewed(at: Date(), for: 600)
        #expect(try await eventually(within: .seconds(5)) { site.link.subscriptions.contains(Self.topics.allDeviceEvents) })
    }

    @Test("on PostgreSQL a holder whose subscription to the events is refused asks again until it has it")
    func refusedSubscriptionAskedAgain() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-events-lease")
        defer { folder.remove() }
        let (site, _, _) = try await Self.hamletWithOneItem(store: try await Self.postgresSettings(in: folder))
        defer { site.directory.remove() }
        let lease = try #require(site.controller.eventsLease)
        site.link.refuseSubscriptions(to: Self.topics.allDeviceEvents, times: 1)
        let ingesting = Task { try await site.controller.ingestion.run() }
        defer { ingesting.cancel() }
        lease.renewed(at: Date(), for: 600)
        try await Task.sleep(for: .milliseconds(500))
        #expect(!site.link.subscriptions.contains(Self.topics.allDeviceEvents), "refused the first time")
        #expect(try await eventually(within: ReportIngestion.resubscribeAfter * 3) {
            site.link.subscriptions.contains(Self.topics.allDeviceEvents)
        })
    }

    @Test("a burst is stored in a few batches, each waiting a moment for more; a lone event after a quiet spell at once")
    func burstGathered() async throws {
        let (site, device, item) = try await Self.hamletWithOneItem()
        defer { site.directory.remove() }
        let ingesting = try await Self.startIngesting(site)
        defer { ingesting.cancel() }

        // Thirty events 5 ms apart, as a hamlet's receivers report one after another.
        let events = (0..<30).map { index in
            DeviceEvent(
                id: "burst-\(index)", device: device, site: Commune.testSite.id, zone: "thon-a", item: item, kind: .received, at: Date())
        }
        for event in events {
            site.link.deliver(try WireCoding.encode(event), on: Self.topics.deviceEvents(device), retain: false)
            try await Task.sleep(for: .milliseconds(5))
        }
        _ = try await eventually(within: .seconds(5)) { try Self.receipted(site, device).joined().count == events.count }
        let batches = try Self.receipted(site, device)
        #expect(Set(batches.joined()) == Set(events.map(\.id)))
        // One receipt per device per batch: one at once, then one each gathering (300 ms).
        #expect(batches.count <= 8, "\(batches.count) batches: \(batches.map(\.count))")

        // A quiet spell, then a lone event: stored and receipted at once, not held back.
        try await Task.sleep(for: EventIngestion.gathering * 3)
        let lone = DeviceEvent(id: "lone", device: device, site: Commune.testSite.id, zone: "thon-a", item: item, kind: .ready, at: Date())
        site.link.deliver(try WireCoding.encode(lone), on: Self.topics.deviceEvents(device), retain: false)
        #expect(try await eventually(within: .seconds(5)) { try Self.receipted(site, device).last == ["lone"] })
    }

    static let topics = Topics(site: Commune.testSite.id)

    /// Runs the controller's ingestion until the task returned is cancelled; returns once it has subscribed.
    /// Store settings for a fresh database of the tests' shared PostgreSQL server.
    static func postgresSettings(in folder: TemporaryDirectory) async throws -> ControllerConfiguration.StoreSettings {
        let connection = try await SharedPostgres.freshDatabase()
        let passwordFile = folder.path("pg-password")
        try Data(connection.password.utf8).write(to: passwordFile)
        return ControllerConfiguration.StoreSettings(
            engine: .postgres, host: connection.host, port: connection.port, user: connection.user,
            passwordFile: passwordFile.path, database: connection.database, secretsKeyFile: folder.path("secrets.key").path)
    }

    static func startIngesting(_ site: RoutedController) async throws -> Task<Void, any Error> {
        let ingesting = Task { try await site.controller.ingestion.run() }
        _ = try await eventually(within: .seconds(5)) { site.link.subscriptions.contains(topics.allDeviceEvents) }
        return ingesting
    }

    /// A controller whose `thon-a` document lists one announcement, and one device the registry puts in `thon-a`.
    static func hamletWithOneItem(store: ControllerConfiguration.StoreSettings? = nil) async throws
        -> (site: RoutedController, device: String, item: String)
    {
        let site = try await RoutedController(store: store)
        var registry = DeviceRegistry()
        let device = try registry.add(site: Commune.testSite.id, hamlet: "thon-a").username
        try registry.save(to: site.directory.path("controller/devices.json"))
        let media = try await site.controller.media.addAudio(try sampleAudio("chime.wav"))
        // A minute ahead: on a loaded machine an item already due could pass its grace
        // before its document goes out, and then it is recorded missed, never sent.
        let announcement = try await site.controller.announcements.announce(AnnouncementRequest(
            title: "Họp dân", media: media.sha256, hamlets: ["thon-a"], startAt: Date().addingTimeInterval(60)))
        return (site, device, "\(announcement.id)@thon-a")
    }

    static func event(_ kind: DeviceEvent.Kind, item: String, device: String, zone: String) -> DeviceEvent {
        DeviceEvent(
            id: "\(kind.rawValue):\(item)", device: device, site: Commune.testSite.id, zone: zone, item: item, kind: kind,
            at: Date())
    }

    /// The event ids of each receipt the controller published to `device`, opened with its key.
    static func receipted(_ site: RoutedController, _ device: String) throws -> [[String]] {
        let topic = topics.deviceReceipts(device)
        var verifier = DownwardMessageVerifier(trusting: [site.controller.store.verifierKey])
        return try site.link.published(on: topic).map {
            try WireCoding.decode(EventReceipt.self, from: try verifier.open($0.payload, topic: topic, now: Date()).get().payload).events
        }
    }
}
