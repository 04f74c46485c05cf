public import Foundation
import Hummingbird
import LoaDomain
public import LoaProtocol
import LoaProvisioning
import LoaStore

extension ControllerRouter {
    /// Devices and hamlets under `/api/v1`: `GET devices` (what the receivers last
    /// reported), `GET devices/refused-events` (events not believed, kept as evidence)
    /// and `GET hamlets` (the site's hamlets, each with its receivers).
    static func addDeviceRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("devices", needs: .readDevices) { _, _, _ -> Response in
            try await json(controller.store.devices())
        }

        // The evidence of what devices sent and the controller did not believe (latest first).
        api.get("devices/refused-events", needs: .readDevices) { request, _, _ -> Response in
            let device = request.uri.queryParameters["device"].map(String.init)
            return try await json(controller.store.refusedEvents(device: device))
        }

        api.get("hamlets", needs: .readHamlets) { _, _, _ -> Response in
            try await json(controller.hamletListings())
        }
    }
}

extension Controller {
    /// The site's hamlets with the registry's devices (`devices.json`) and those that reported.
    public func hamletListings() async throws -> [HamletListing] {
        let registry = try mediaAccess.registry.current()
        return await HamletListing.make(site: configuration.site, registry: registry, states: try store.devices())
    }
}

/// `GET /api/v1/hamlets`: one hamlet with its receivers.
public struct HamletListing: Sendable, Codable, Equatable {
    /// A receiver of the hamlet: provisioned (`loa device add`), reporting, or both.
    public struct Device: Sendable, Codable, Equatable {
        public var id: String
        /// When it was provisioned; nil for a device that reports but is not in the registry.
        public var provisionedAt: Date?
        /// When it was revoked (it may no longer connect).
        public var revokedAt: Date?
        /// Its last retained state message: online/offline, when, software; nil when it never reported.
        public var state: DeviceState?
    }

    public var id: String
    public var name: String
    public var devices: [Device]

    /// The site's hamlets in order, each with the registry's devices and those that reported, by id.
    static func make(site: Site, registry: DeviceRegistry, states: [DeviceState]) -> [HamletListing] {
        let stateByDevice = Dictionary(states.map { ($0.device, $0) }, uniquingKeysWith: { first, _ in first })
        return site.hamlets.map { hamlet in
            var devices: [String: Device] = [:]
            for device in registry.devices where device.site == site.id && device.hamlet == hamlet.id {
                devices[device.id] = Device(
                    id: device.id, provisionedAt: device.createdAt, revokedAt: device.revokedAt, state: stateByDevice[device.id])
            }
            for state in states where state.zone == hamlet.id && devices[state.device] == nil {
                devices[state.device] = Device(id: state.device, state: state)
            }
            return HamletListing(id: hamlet.id, name: hamlet.name, devices: devices.values.sorted { $0.id < $1.id })
        }
    }
}
