public import Foundation
import LoaProtocol
import LoaFiles

/// Audio files on disk, each named by the SHA-256 of its bytes.
public struct MediaStore: Sendable {
    /// The folder holding the files.
    public let directory: URL

    /// Uses (and creates) `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Stores `data` (`DurableFile`: a crash never leaves half a file under a hash) and
    /// returns its hash: as a second name of `file` (the same bytes in another folder,
    /// such as the speech cache) where it can, else written.
    public func store(_ data: Data, sameAs file: URL? = nil) throws -> String {
        let sha256 = MediaDigest.sha256(data)
        let target = url(for: sha256)
        if FileManager.default.fileExists(atPath: target.path) { return sha256 }
        try DurableFile.write(data, to: target, sameAs: file)
        return sha256
    }

    /// Where the file with this hash lives (it may not exist).
    public func url(for sha256: String) -> URL { directory.appendingPathComponent(sha256) }

    /// The bytes with this hash, or nil when not stored.
    public func data(for sha256: String) -> Data? { try? Data(contentsOf: url(for: sha256)) }

}
