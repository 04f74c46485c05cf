#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaFiles
public import LoaDomain
import Crypto

/// The SHA-256 of each chunk of a media file (``MediaChunks``), as the controller serves
/// it at `GET /media/{sha256}/chunks`: `{"size": 65536, "hashes": ["…", …]}`, lowercase hex.
public struct MediaChunkList: Sendable, Equatable, Codable {
    /// Bytes per chunk (the last may be shorter).
    public var size: Int
    /// Lowercase hex SHA-256 of each chunk, in order.
    public var hashes: [String]

    public init(size: Int, hashes: [String]) {
        self.size = size
        self.hashes = hashes
    }

    /// The root: SHA-256 of the hashes' 32 bytes each, in order.
    public var root: String {
        var hasher = SHA256()
        for hash in hashes { hasher.update(data: Self.bytes(ofHex: hash)) }
        return MediaDigest.hex(hasher.finalize())
    }

    /// What items carry of it.
    public var chunks: MediaChunks { MediaChunks(size: size, root: root) }

    /// The list of the file at `url` cut into `size`-byte chunks, read a chunk at a time;
    /// nil when it cannot be read or its bytes are not those of `sha256` (a file damaged
    /// on disk: a root that vouched for its bytes would let them play before the whole
    /// file's hash refused them).
    public static func of(fileAt url: URL, sha256: String, size: Int = MediaChunks.controllerSize) -> MediaChunkList? {
        guard let file = try? ReadOnlyFile(url: url) else { return nil }
        var hashes: [String] = []
        var whole = SHA256()
        do {
            while case let chunk = try file.read(upToCount: size), !chunk.isEmpty {
                hashes.append(hash(of: chunk))
                whole.update(data: chunk)
            }
        } catch {
            return nil
        }
        guard MediaDigest.hex(whole.finalize()) == sha256 else { return nil }
        return MediaChunkList(size: size, hashes: hashes)
    }

    /// The list of `data` cut into `size`-byte chunks.
    public static func of(_ data: Data, size: Int = MediaChunks.controllerSize) -> MediaChunkList {
        MediaChunkList(size: size, hashes: stride(from: data.startIndex, to: data.endIndex, by: size).map {
            hash(of: data[$0..<min($0 + size, data.endIndex)])
        })
    }

    /// Lowercase hex SHA-256 of one chunk.
    public static func hash(of chunk: Data) -> String { MediaDigest.sha256(chunk) }

    /// The list in `body` when it is the one `media` names: well formed, one hash per
    /// chunk of `media.bytes`, its root the signed one; otherwise why it was refused.
    public static func checked(_ body: Data, for media: MediaReference) -> Result<MediaChunkList, ChunkListProblem> {
        guard let chunks = media.chunks, chunks.isWellFormed else { return .failure(.init("the item names no well-formed chunk root")) }
        let count = chunks.count(ofBytes: media.bytes)
        guard body.count <= largestBody(chunks: count) else {
            return .failure(.init("the list is \(body.count) bytes, more than \(count) chunk hashes take"))
        }
        guard let list = try? WireCoding.decode(MediaChunkList.self, from: body) else {
            return .failure(.init("the list is not JSON {\"size\": N, \"hashes\": [hex…]}"))
        }
        guard list.size == chunks.size else { return .failure(.init("chunks of \(list.size) bytes, the item says \(chunks.size)")) }
        guard list.hashes.count == count else { return .failure(.init("\(list.hashes.count) hashes for \(count) chunks")) }
        guard list.hashes.allSatisfy(MediaReference.isSHA256) else { return .failure(.init("a hash is not lowercase hex SHA-256")) }
        guard list.root == chunks.root else { return .failure(.init("its root is \(list.root), the signed item says \(chunks.root)")) }
        return .success(list)
    }

    /// The most bytes a list of `chunks` hashes may take on the wire.
    public static func largestBody(chunks: Int) -> Int { 64 + chunks * 67 }

    /// Why a chunk list was refused.
    public struct ChunkListProblem: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private static func bytes(ofHex hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for unit in hex.utf8 {
            let nibble = unit <= 0x39 ? unit &- 0x30 : unit &- 0x61 &+ 10
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
