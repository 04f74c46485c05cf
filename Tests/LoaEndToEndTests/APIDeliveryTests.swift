import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

/// `GET /api/v1/deliveries/{item}` while real receivers play an announcement: per
/// hamlet, each receiver's state, including the receivers that said nothing.
@Suite("API: a broadcast's delivery", .serialized)
struct APIDeliveryTests {
    typealias Setup = ScheduleAPITests.Setup

    @Test("two hamlets' receivers play an announcement; the delivery shows them finished and the silent one")
    func liveDelivery() async throws {
        let setup = try await Setup()
        let commune = setup.commune
        // This is about what the delivery shows, not about timing: a receiver slowed down
        // by a busy machine still plays (a generous grace) and is waited for.
        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a", lateGraceSeconds: 120)
        let b1 = try commune.receiver("loa-b1", hamlet: "thon-b", lateGraceSeconds: 120)
        for receiver in [a1, b1] { receiver.start() }
        for _ in 0..<600 {
            let online = try await commune.controller.store.devices().filter { $0.status == .online }.map(\.device)
            if Set(online).isSuperset(of: ["loa-a1", "loa-b1"]) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // A receiver of thon-b that is known (it reported once) but is not running.
        try await commune.controller.store.updateDevice(DeviceState(device: "loa-b2", zone: "thon-b", status: .offline, at: Date()))

        let announcement = try await commune.announce(
            try sampleAudio("chime.wav"), to: ["thon-a", "thon-b"], at: Date().addingTimeInterval(2), title: "Thông báo lịch tiêm")
        for hamlet in ["thon-a", "thon-b"] {
            let device = hamlet == "thon-a" ? "loa-a1" : "loa-b1"
            let finished = try await commune.waitForEvents(
                item: "\(announcement.id)@\(hamlet)", kind: .finished, from: [device], within: .seconds(120))
            #expect(finished.map(\.device) == [device])
        }

        let path = "deliveries/\(announcement.id)"
        let (status, data) = try await setup.api.call("GET", path, token: setup.tokens["can-bo-vh"])
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
        let delivery = try WireCoding.decode(BroadcastDelivery.self, from: data)
        #expect(delivery.hamlets.map(\.hamlet) == ["thon-a", "thon-b"])
        let a = delivery.hamlets[0], b = delivery.hamlets[1]
        #expect(a.item == "\(announcement.id)@thon-a")
        #expect(a.receivers.map(\.device) == ["loa-a1"] && a.receivers[0].state == .finished)
        #expect(a.receivers[0].playedMs != nil)
        #expect(b.receivers.map(\.device) == ["loa-b1", "loa-b2"])
        #expect(b.receivers.map(\.state) == [.finished, .waiting], "the silent receiver waits")
        #expect(b.receivers[1].online == false)
        for receiver in [a1, b1] { await receiver.stop() }

        #expect(try await setup.api.call("GET", "deliveries/khong-co", token: setup.tokens["mat-tran"]).0 == 404)
        #expect(try await setup.api.call("GET", path, token: nil).0 == 401)
        for user in ["chu-tich", "ky-thuat", "mat-tran"] {
            #expect(try await setup.api.call("GET", path, token: setup.tokens[user]).0 == 200, "\(user)")
        }
        let (refused, why) = try await setup.api.call("GET", path, token: setup.tokens["admin"])
        #expect(refused == 403 && String(decoding: why, as: UTF8.self).contains("cần vai trò (needs role)"))
        await commune.stop()
    }
}
