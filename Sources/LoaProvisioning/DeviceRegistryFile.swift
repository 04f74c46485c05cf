public import Foundation
import Synchronization

/// The registry file as the running controller reads it: parsed again only when the
/// file changed (its modification time or size), so a media download or a batch of
/// events does not parse a registry of thousands of devices each time.
public final class DeviceRegistryFile: DeviceRegistrySource {
    /// The registry file (`devices.json`).
    public let url: URL
    private let cached = Mutex<(stamp: Stamp, registry: DeviceRegistry)?>(nil)

    private struct Stamp: Equatable {
        var modified: Date
        var size: Int
    }

    public init(url: URL) { self.url = url }

    /// The registry as the file holds it now; empty when there is no file.
    /// - Throws: when the file exists but cannot be read as a registry.
    public func current() throws -> DeviceRegistry {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return DeviceRegistry() }
        let stamp = Stamp(
            modified: attributes[.modificationDate] as? Date ?? .distantPast, size: (attributes[.size] as? Int) ?? -1)
        if let hit = cached.withLock({ $0?.stamp == stamp ? $0?.registry : nil }) { return hit }
        let registry = try DeviceRegistry.load(from: url)
        cached.withLock { $0 = (stamp, registry) }
        return registry
    }

    /// Nothing to do: `current()` reads the file again when it changed.
    public func refresh() {}
}
