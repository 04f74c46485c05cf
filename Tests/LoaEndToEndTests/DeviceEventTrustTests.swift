import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaTesting
import Testing

/// What a device sends up is a claim: it may not bend the controller's own records.
@Suite("Events from devices cannot erase or forge the controller's records", .serialized)
struct DeviceEventTrustTests {
    @Test("a device that sends the controller's predictable 'missed' id first does not erase the controller's record; events under the controller's name are refused")
    func controllerIDsAreTheControllersOwn() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let directory = try TemporaryDirectory(prefix: "loa-event-ids")
        defer { directory.remove() }
        let configuration = DispatchTests.configuration(broker: broker, directory: directory)
        // Monday 30 November 2026, 04:00 in Hà Nội; the schedule airs every morning at 05:00.
        let clock = TestClock(try DispatchTests.hanoi("2026-11-30T04:00:00"))
        var running = try await InProcessController(configuration: configuration, clock: clock.function)
        let media = try running.controller.addMedia(try sampleAudio("chime.wav"))
        try await running.controller.applySchedule(SampleSchedule.make(media: media), sourceFiles: [:], by: "can-bo-vh")
        try await running.controller.approve(version: 1, programmeIDs: [DispatchTests.programme], by: "chu-tich")

        // Thursday's airing is not sent yet; its 'missed' record would have this id.
        let thursday = "\(DispatchTests.programme)@2026-12-03/sang@thon-a"
        let topics = Topics(site: DispatchTests.site.id)
        let device = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "loa-thon-a-1"))
        try await device.waitUntilConnected()
        let squatter = DeviceEvent(
            id: "missed-by-controller:\(thursday)", device: "loa-thon-a-1", site: DispatchTests.site.id, zone: "thon-a",
            item: thursday, kind: .finished, at: clock.now, playedMs: 1000)
        try await device.publish(topic: topics.deviceEvents("loa-thon-a-1"), payload: WireCoding.encode(squatter))
        // And a claim under the controller's own name, on the controller's topic.
        var impostor = squatter
        impostor.id = "by-impostor"
        impostor.device = DeviceEvent.controllerDevice
        try await device.publish(topic: topics.deviceEvents(DeviceEvent.controllerDevice), payload: WireCoding.encode(impostor))
        // A last event of the device's own shows the ones before it were handled.
        var marker = squatter
        marker.id = "marker"
        try await device.publish(topic: topics.deviceEvents("loa-thon-a-1"), payload: WireCoding.encode(marker))
        #expect(try await eventually { try running.controller.store.events(device: "loa-thon-a-1").contains { $0.id == "marker" } })
        #expect(try running.controller.store.events(device: DeviceEvent.controllerDevice).isEmpty, "the impostor's event was stored")
        await device.close()

        // Down until Thursday noon: Thursday's airing was never sent, and the controller says so.
        await running.stop()
        clock.set(try DispatchTests.hanoi("2026-12-03T12:00:00"))
        running = try await InProcessController(configuration: configuration, clock: clock.function)
        let missed = try running.controller.store.events(device: DeviceEvent.controllerDevice).filter { $0.zone == "thon-a" }
        #expect(missed.map(\.item) == [thursday], "the controller's record of the missed airing")
        #expect(missed.first?.kind == .missed)
        await running.stop()
    }
}
