import Foundation
import LoaController
import LoaHarness
import LoaMQTT
import LoaProtocol
import LoaStore
import Testing

/// A device's `state` message is believed for that device only: the controller keeps it
/// when it names the device of its topic and its registered hamlet, with bounded texts
/// and plausible clock figures, and keeps the device's own clock estimate over its rough one.
@Suite("Device states in (no network)")
struct DeviceStateTrustTests {
    @Test("a device's clock estimate is kept as sent; a state in another device's name, hamlet or with impossible figures changes nothing")
    func statesBelievedForTheirDeviceOnly() async throws {
        let (site, device, _) = try await EventIngestionTests.hamletWithOneItem()
        defer { site.directory.remove() }
        let ingesting = Task { try await site.controller.ingestion.run() }
        defer { ingesting.cancel() }
        _ = try await eventually(within: .seconds(5)) { !site.link.subscriptions.isEmpty }
        let topic = EventIngestionTests.topics.deviceState(device)
        func send(_ state: DeviceState) throws { site.link.deliver(try WireCoding.encode(state), on: topic, retain: false) }
        func stored() async throws -> DeviceState? { try await site.controller.store.devices().first { $0.device == device } }

        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date(), software: "loa 0.1", clockOffsetMs: -350.25, clockUncertaintyMs: 2.5))
        _ = try await eventually(within: .seconds(5)) { try await stored()?.clockOffsetMs == -350.25 }
        #expect(try await stored()?.clockUncertaintyMs == 2.5)

        // Each refused: in another device's name (on this device's topic), in another hamlet,
        // a clock estimate without its uncertainty, or beyond a day, an over-long error.
        try send(DeviceState(device: "loa-khac", zone: "thon-a", status: .online, at: Date(), clockOffsetMs: 1, clockUncertaintyMs: 1))
        try send(DeviceState(device: device, zone: "thon-b", status: .online, at: Date(), clockOffsetMs: 2, clockUncertaintyMs: 1))
        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date(), clockOffsetMs: 3))
        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date(), clockOffsetMs: 1e9, clockUncertaintyMs: 1))
        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date(), lastError: String(repeating: "x", count: 600), clockOffsetMs: 4, clockUncertaintyMs: 1))
        // Then one that is believed, as a marker that the ones before were handled.
        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date(), software: "loa 0.2", clockOffsetMs: -349, clockUncertaintyMs: 3))
        _ = try await eventually(within: .seconds(5)) { try await stored()?.software == "loa 0.2" }
        let devices = try await site.controller.store.devices()
        #expect(devices.map(\.device) == [device], "no state stored under another device's name")
        #expect(devices.first?.zone == "thon-a")
        #expect(devices.first?.clockOffsetMs == -349)

        // A device that estimates nothing gets the controller's rough figure, without an uncertainty.
        try send(DeviceState(device: device, zone: "thon-a", status: .online, at: Date().addingTimeInterval(2), software: "loa 0.3"))
        _ = try await eventually(within: .seconds(5)) { try await stored()?.software == "loa 0.3" }
        let rough = try #require(try await stored())
        #expect(rough.clockUncertaintyMs == nil)
        // Its clock is 2 s ahead; the delivery's delay (long on a loaded machine) comes off it.
        #expect((1000...2001).contains(rough.clockOffsetMs ?? 0), "its clock 2 s ahead: \(rough.clockOffsetMs ?? 0) ms")
    }
}
