import Foundation
import Hummingbird
import LoaProtocol
import Synchronization

/// The bytes of media files served to receivers, kept in memory by this process. All of a
/// commune's receivers fetch the same audio within seconds (an emergency's: every
/// commune of a province at once): served from memory, a fetch is one buffer written to
/// its socket, where streamed from the file it took a stat, an open and a read per
/// 128 KiB chunk on the thread pool, with as many hops between threads.
///
/// A file is read once (receivers asking at once wait for that one read) and kept only
/// if it is the bytes of its SHA-256, so the communes a process serves share one copy of
/// the same audio. Bounded: files up to `largest` bytes, `budget` bytes in all, emptied
/// when full (what is fetched again is read again); larger files are streamed.
final class MediaInMemory: Sendable {
    /// The process's: 32 MiB, files up to 4 MiB (a 4-minute programme at 128 kbit/s).
    static let shared = MediaInMemory(budget: 32 << 20, largest: 4 << 20)

    let budget: Int
    let largest: Int
    private let kept = Mutex<(files: [String: ByteBuffer], bytes: Int)>(([:], 0))
    private let reading = InFlight<Found>()

    init(budget: Int, largest: Int) {
        self.budget = budget
        self.largest = largest
    }

    /// The bytes of media `sha256`, when they are kept.
    func kept(sha256: String) -> ByteBuffer? { kept.withLock { $0.files[sha256] } }

    /// What reading a media file for memory found.
    enum Found: Sendable {
        /// The file is the bytes of its hash: kept, and served from memory.
        case kept(ByteBuffer)
        /// Larger than `largest`, or unreadable just now: stream it from the file.
        case notKept
        /// The file is not the bytes of its hash (damaged on disk): never served as it is.
        case notItsHash
    }

    /// The bytes of media `sha256` from `file` (of `size` bytes), kept from now on when
    /// they are the bytes of `sha256` and no larger than `largest`.
    func bytes(sha256: String, file: URL, size: Int) async -> Found {
        if let known = kept(sha256: sha256) { return .kept(known) }
        guard size <= largest else { return .notKept }
        return await reading.value(for: sha256) { [self] in
            // Once per file and process, a few milliseconds at most (≤ `largest` from the page cache).
            guard let data = try? Data(contentsOf: file) else { return .notKept }
            guard data.count <= largest else { return .notKept }
            guard MediaDigest.sha256(data) == sha256 else { return .notItsHash }
            let buffer = ByteBuffer(bytes: data)
            kept.withLock { kept in
                if kept.bytes + buffer.readableBytes > budget { kept = ([:], 0) }
                kept.files[sha256] = buffer
                kept.bytes += buffer.readableBytes
            }
            return .kept(buffer)
        }
    }
}
