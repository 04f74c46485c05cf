/// Where a running controller reads its commune's device registry: the registry file
/// of its data folder (`DeviceRegistryFile`), or the province's database.
public protocol DeviceRegistrySource: Sendable {
    /// The registry as last read; without waiting for I/O beyond a file's status.
    /// - Throws: when the registry kept cannot be read as one.
    func current() throws -> DeviceRegistry
    /// Reads again what others may have changed (`loa device add` on another machine).
    func refresh() async throws
}
