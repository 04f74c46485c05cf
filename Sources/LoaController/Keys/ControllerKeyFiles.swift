public import Foundation
public import LoaProtocol
import LoaProvisioning
import LoaFiles

/// The controller's keys in its data folder:
///
/// - `controller.key`: the key in force (private, mode 0600), made on first start;
/// - `controller-next.key`: during a rotation, the key that takes over (private, 0600);
/// - `keys.json`: the public history of keys (`ControllerKeyRecord`s, oldest first),
///   with each later key's announcement signed by the key before it. `GET /log/keys`
///   serves it and `loa log verify` reads it, so checkpoints from before and after a
///   rotation verify.
///
/// A rotation is written in an order a crash cannot break: the next key, then the
/// history naming it; at `validFrom` one `rename` makes the next key the current one.
public struct ControllerKeyFiles: ControllerKeyVault {
    /// The data folder.
    public let directory: URL
    /// The keys' signed-note name (`ControllerConfiguration.keyName(site:)`).
    public let name: String

    /// The key files of the data folder `directory`.
    public init(directory: URL, name: String) {
        self.directory = directory
        self.name = name
    }

    var currentFile: URL { directory.appendingPathComponent("controller.key") }
    var nextFile: URL { directory.appendingPathComponent("controller-next.key") }
    var historyFile: URL { directory.appendingPathComponent("keys.json") }

    /// Reads the keys, making the first one on first start, and finishes a rotation
    /// whose instant passed while the controller was stopped.
    /// - Parameter clock: decides whether a rotation is due; the ring keeps it.
    public func load(clock: @escaping @Sendable () -> Date) throws -> ControllerKeyRing {
        let current = try SigningKey.loadOrCreate(name: name, at: currentFile)
        var history = try history()
        if history.isEmpty {
            history = [ControllerKeyRecord(key: current.verifier)]
            try save(history)
        }
        guard FileManager.default.fileExists(atPath: nextFile.path) else {
            return ControllerKeyRing(current: current, clock: clock)
        }
        let next = try SigningKey.loadOrCreate(name: name, at: nextFile)
        let ring = ControllerKeyRing.restored(current: current, next: next, history: history, clock: clock)
        guard ring.rotation != nil else {
            // Stopped between writing the key and its history: it was never announced.
            try FileManager.default.removeItem(at: nextFile)
            return ring
        }
        if ring.isRotationDue { try completeRotation(of: ring) }
        return ring
    }

    /// The media secret (`media.secret`, made at first use).
    public func mediaSecret() throws -> Data {
        try MediaToken.loadOrCreateSecret(at: directory.appendingPathComponent("media.secret"))
    }

    /// Nothing to do: this controller alone keeps these files.
    public func refresh(_ ring: ControllerKeyRing) {}

    /// The public history of keys, oldest first; empty before the first start.
    /// - Throws: when `keys.json` exists but cannot be read.
    public func history() throws -> [ControllerKeyRecord] {
        guard let data = try? Data(contentsOf: historyFile) else { return [] }
        do {
            return try WireCoding.decode([ControllerKeyRecord].self, from: data)
        } catch {
            throw ConfigurationError(path: historyFile.path, problems: ["không đọc được lịch sử khóa (the key history cannot be read): \(error)"])
        }
    }

    /// Writes a rotation from `current` to `rotation.next`: the next key, then the
    /// history with the current key's retirement and the next key's announcement.
    public func saveRotation(from current: SigningKey, to rotation: ControllerKeyRing.Rotation) throws {
        try DurableFile.write(
            Data((rotation.next.rawPrivateKey.base64EncodedString() + "\n").utf8), to: nextFile, mode: 0o600)
        try save(try history().rotating(from: current, to: rotation))
    }

    /// Makes the rotation's next key the current one, on disk (one rename) and in `ring`.
    /// - Returns: the retired key, or nil when no rotation was due.
    @discardableResult
    public func completeRotation(of ring: ControllerKeyRing) throws -> SigningKey? {
        guard ring.isRotationDue else { return nil }
        guard rename(nextFile.path, currentFile.path) == 0 || !FileManager.default.fileExists(atPath: nextFile.path) else {
            throw ConfigurationError(path: nextFile.path, problems: [
                "không thay được khóa hiện hành (cannot replace controller.key): \(String(cString: strerror(errno)))",
            ])
        }
        return ring.completeRotation()
    }

    private func save(_ history: [ControllerKeyRecord]) throws {
        try DurableFile.write(try WireCoding.encode(history), to: historyFile, mode: 0o644)
    }
}
