public import Foundation
import LoaProtocol
public import LoaProvisioning
public import LoaStore
import Synchronization

/// A commune's device registry in the province's database (its
/// `CommuneRecord.deviceRegistry`), so that its controllers need no shared folder:
/// `loa device add` and `loa device revoke` change it there (`change`), and every
/// controller reads it again every few seconds (`refresh`).
///
/// A commune moving onto the database brings its data folder's `devices.json`: a
/// controller starting where the database holds no registry yet stores its file's
/// (`start`), and `change` starts from that file too. A controller with no file stores
/// nothing, so it cannot get ahead of the one that has it.
public final class DatabaseDeviceRegistry: DeviceRegistrySource {
    let records: any CommuneRecordStore
    /// `devices.json` of the data folder.
    let folderFile: URL
    /// The registry as last read, and the database's revision of it (nil: the folder's
    /// file, the database holding none).
    private let cached = Mutex<(revision: Int64?, registry: DeviceRegistry)?>(nil)

    public init(records: any CommuneRecordStore, folderFile: URL) {
        self.records = records
        self.folderFile = folderFile
    }

    /// Reads the registry; where the database holds none yet and the data folder has a
    /// registry file, stores that one.
    public func start() async throws {
        if try await records.communeRecord(.deviceRegistry) == nil, FileManager.default.fileExists(atPath: folderFile.path) {
            _ = try await records.communeRecord(.deviceRegistry, orFirst: firstBody)
        }
        try await refresh()
    }

    /// The registry as last read: the folder's file (or an empty one) while the database
    /// holds none, read again at each `refresh` (not at each request).
    public func current() throws -> DeviceRegistry {
        if let cached = cached.withLock({ $0 }) { return cached.registry }
        return try DeviceRegistry.load(from: folderFile)
    }

    public func refresh() async throws {
        guard let stored = try await records.communeRecord(.deviceRegistry) else {
            let registry = try DeviceRegistry.load(from: folderFile)
            cached.withLock { $0 = (nil, registry) }
            return
        }
        guard stored.revision != cached.withLock({ $0?.revision }) else { return }
        let registry = try Self.decode(stored.body)
        cached.withLock { $0 = (stored.revision, registry) }
    }

    /// Applies `body` to the registry kept in the database (again, on what someone else
    /// stored meanwhile).
    /// - Returns: what `body` returned and the registry as stored after it.
    public func change<T: Sendable>(_ body: (inout DeviceRegistry) throws -> T) async throws -> (result: T, registry: DeviceRegistry) {
        try await records.changeCommuneRecord(.deviceRegistry, orFirst: firstBody) { stored in
            var registry = try Self.decode(stored)
            let result = try body(&registry)
            return (try WireCoding.encode(registry), (result, registry))
        }
    }

    /// The data folder's registry, or an empty one.
    private func firstBody() throws -> Data { try WireCoding.encode(try DeviceRegistry.load(from: folderFile)) }

    private static func decode(_ body: Data) throws -> DeviceRegistry { try WireCoding.decode(DeviceRegistry.self, from: body) }
}
