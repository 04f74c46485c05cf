#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A file opened for reading, by its POSIX descriptor: reads from a position that moves
/// on, and its size; closed when the last reference goes. What the receiver's media path
/// needs of `FileHandle`, which lives in swift-corelibs Foundation: a receiver links
/// FoundationEssentials alone.
///
/// Not `Sendable`: one reader at a time, as with the position of any descriptor.
public final class ReadOnlyFile {
    /// The path it was opened at, for errors.
    public let path: String
    private let descriptor: Int32
    /// Where the next ``read(upToCount:)`` starts.
    public private(set) var offset = 0

    /// Opens the file at `path` for reading.
    /// - Throws: ``FileError`` naming the path and the system's reason.
    public init(path: String) throws(FileError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(.read, path: path, step: "open", errno: errno) }
        self.descriptor = descriptor
    }

    /// Opens the file at `url` for reading.
    public convenience init(url: URL) throws(FileError) { try self.init(path: url.path) }

    deinit { close(descriptor) }

    /// The whole file at `path`, for files known to be small (settings, a notice's
    /// attachment).
    /// - Throws: ``FileError`` naming the path and the system's reason.
    public static func contents(atPath path: String) throws(FileError) -> Data {
        let file = try ReadOnlyFile(path: path)
        return try file.read(upToCount: file.size())
    }

    /// Up to `count` bytes from ``offset`` on, which moves past them: fewer only at the
    /// file's end (as it is on disk now), none there.
    /// - Throws: ``FileError`` when the system cannot read the file.
    public func read(upToCount count: Int) throws(FileError) -> Data {
        guard count > 0 else { return Data() }
        var data = Data(count: count)
        var filled = 0
        while filled < count {
            let got = data.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileError(.read, path: path, step: "read", errno: errno)
            }
            if got == 0 { break }
            filled += got
        }
        offset += filled
        if filled < count { data.removeSubrange(filled...) }
        return data
    }

    /// Moves where the next read starts (past the end reads nothing).
    public func seek(toOffset offset: Int) { self.offset = max(0, offset) }

    /// The file's size on disk now.
    /// - Throws: ``FileError`` when the system cannot say.
    public func size() throws(FileError) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError(.read, path: path, step: "stat", errno: errno) }
        return Int(status.st_size)
    }
}
