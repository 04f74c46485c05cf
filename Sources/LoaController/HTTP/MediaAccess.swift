public import Foundation
import LoaProtocol
public import LoaProvisioning

/// Who may fetch media: a device whose token is right and that the registry has
/// not revoked. The registry file is read again when it changes.
public final class MediaAccess: Sendable {
    private let secret: Data
    /// The device registry (`devices.json`), read again when it changes.
    public let registry: DeviceRegistryFile

    /// - Parameters:
    ///   - secret: the media secret the tokens are made with.
    ///   - registryFile: the device registry (`devices.json`); absent means none revoked.
    public init(secret: Data, registryFile: URL) {
        self.secret = secret
        registry = DeviceRegistryFile(url: registryFile)
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
