#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif


/// Where a receiver can fetch its hamlet's signed schedule document when its broker is
/// away: the envelope exactly as published, checked by the same verifier as what comes
/// over MQTT (signature, topic, expiry, no replay), so a broker loss costs a poll, not
/// a missed airing.
public protocol ScheduleDocumentSource: Sendable {
    /// The latest signed document of `hamlet`; nil when the controller has none yet.
    /// - Throws: when the controller cannot be reached or refuses the device.
    func latestDocument(hamlet: String) async throws -> Data?
}

/// The controller's `{baseURL}/zones/{hamlet}/schedule`, asked with the device's token.
public struct HTTPScheduleDocumentSource: ScheduleDocumentSource {
    let controller: DeviceHTTP

    /// - Parameter caFile: for an `https://` controller, the CA certificates (PEM) to trust; nil: the system's.
    public init(baseURL: URL, device: String, token: String, caFile: String? = nil) {
        controller = DeviceHTTP(baseURL: baseURL, device: device, token: token, caFile: caFile)
    }

    public func latestDocument(hamlet: String) async throws -> Data? {
        let url = controller.url("zones", hamlet, "schedule")
        let (body, status) = try await controller.get(url)
        switch status {
        case 200: return body
        case 404: return nil
        default: throw ScheduleFetchError(url: url.absoluteString, status: status)
        }
    }
}

/// The controller answered a document fetch with an error status.
public struct ScheduleFetchError: Error, CustomStringConvertible {
    public let url: String
    public let status: Int
    public var description: String { "GET \(url): HTTP \(status)" }
}
