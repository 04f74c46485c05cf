public import Foundation
import LoaProtocol
public import LoaProvisioning

/// Who may fetch media: a device whose token is right and that the registry has
/// not revoked.
public final class MediaAccess: Sendable {
    private let secret: Data
    /// The commune's device registry (`devices.json`, or the database's).
    public let registry: any DeviceRegistrySource

    /// - Parameters:
    ///   - secret: the media secret the tokens are made with.
    ///   - registry: the device registry; an empty one means none revoked.
    public init(secret: Data, registry: any DeviceRegistrySource) {
        self.secret = secret
        self.registry = registry
    }

    /// The device that presents this `Authorization` value, if its token is right.
    public func device(authorization: String) -> String? {
        MediaToken.device(authorization: authorization, secret: secret)
    }

    /// The token to give `device` (written into its settings by `loa device add`).
    public func token(for device: String) -> String { MediaToken.make(secret: secret, device: device) }

    /// True when the registry lists `device` as revoked.
    public func isRevoked(_ device: String) -> Bool {
        guard let registry = try? registry.current() else { return false }
        return registry.device(device).map { !$0.isActive } ?? false
    }
}
