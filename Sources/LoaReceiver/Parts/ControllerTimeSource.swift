#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaProtocol

/// Where a receiver reads the controller's clock, for its own clock's offset
/// (docs/protocol.md "Clock").
public protocol ControllerTimeSource: Sendable {
    /// One exchange's controller half: its clock at the request's arrival and at the response's departure.
    /// - Throws: when the controller cannot be reached or refuses the device.
    func read() async throws -> ControllerClockReading
}

/// The controller's `{baseURL}/time`, asked with the device's token.
public struct HTTPControllerTimeSource: ControllerTimeSource {
    let controller: DeviceHTTP

    /// - Parameter caFile: for an `https://` controller, the CA certificates (PEM) to trust; nil: the system's.
    public init(baseURL: URL, device: String, token: String, caFile: String? = nil) {
        controller = DeviceHTTP(baseURL: baseURL, device: device, token: token, caFile: caFile)
    }

    public func read() async throws -> ControllerClockReading {
        let url = controller.url("time")
        let (body, status) = try await controller.get(url)
        guard status == 200 else { throw ScheduleFetchError(url: url.absoluteString, status: status) }
        return try WireCoding.decode(ControllerClockReading.self, from: body)
    }
}
