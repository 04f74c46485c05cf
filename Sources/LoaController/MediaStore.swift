public import Foundation
import LoaProtocol

/// Audio files on disk, each named by the SHA-256 of its bytes.
public struct MediaStore: Sendable {
    /// The folder holding the files.
    public let directory: URL

    /// Uses (and creates) `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Stores `data` (write to a temporary file, then rename, so a crash never
    /// leaves half a file under a hash) and returns its hash.
    public func store(_ data: Data) throws -> String {
        let sha256 = MediaDigest.sha256(data)
        let target = url(for: sha256)
        if FileManager.default.fileExists(atPath: target.path) { return sha256 }
        let temporary = directory.appendingPathComponent(".incoming-\(UUID().uuidString)")
        try data.write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
        return sha256
    }

    /// Where the file with this hash lives (it may not exist).
    public func url(for sha256: String) -> URL { directory.appendingPathComponent(sha256) }

    /// The bytes with this hash, or nil when not stored.
    public func data(for sha256: String) -> Data? { try? Data(contentsOf: url(for: sha256)) }

}
