/// How a file is cut for checking as it arrives: fixed-size chunks (the last may be
/// shorter), each with its SHA-256; the root, carried in the signed item, is the SHA-256
/// of those hashes (32 bytes each, in order). A receiver that fetched the hash list and
/// found its root may play each chunk as soon as it matches its hash, before the file is
/// whole (docs/protocol.md "Playing while downloading").
public struct MediaChunks: Sendable, Equatable, Codable, Hashable {
    /// Bytes per chunk: a power of two from 4 KiB to 1 MiB (Loa's controller cuts 64 KiB).
    public var size: Int
    /// Lowercase hex SHA-256 of the chunk hashes.
    public var root: String

    public init(size: Int, root: String) {
        self.size = size
        self.root = root
    }

    /// The chunk size Loa's controller cuts: 64 KiB, about 8 s of a 64 kbit/s MP3.
    public static let controllerSize = 65_536
    /// The chunk sizes a receiver accepts.
    public static let sizes: ClosedRange<Int> = 4096...1_048_576

    /// True when the size is a power of two in ``sizes`` and the root a lowercase hex SHA-256.
    public var isWellFormed: Bool {
        Self.sizes.contains(size) && size & (size - 1) == 0 && MediaReference.isSHA256(root)
    }

    /// How many chunks a file of `bytes` bytes has.
    public func count(ofBytes bytes: Int) -> Int { bytes <= 0 ? 0 : (bytes - 1) / size + 1 }
}
