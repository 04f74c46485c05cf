#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaFiles
import LoaProtocol

/// Checks a partial file's chunks against their hashes as they arrive, moving a
/// ``MediaArrival``'s verified mark over each chunk that matches.
struct ChunkCheck {
    let list: MediaChunkList
    let arrival: MediaArrival

    /// A chunk whose bytes are not the ones hashed: what follows the mark is thrown away.
    struct Mismatch: Error {
        let chunk: Int
        let offset: Int
    }

    /// Checks every chunk wholly within the first `size` bytes of the partial file past
    /// the mark (the last chunk is whole at the file's length).
    /// - Throws: ``Mismatch`` at the first chunk that does not match (the mark stays before it).
    func advance(upTo size: Int) throws {
        var mark = arrival.readableBytes
        guard mark < arrival.length, size > mark, let handle = try? ReadOnlyFile(url: arrival.part) else { return }
        handle.seek(toOffset: mark)
        while mark < arrival.length {
            let end = min(mark + list.size, arrival.length)
            guard end <= size else { return }
            let chunk = try handle.read(upToCount: end - mark)
            guard chunk.count == end - mark else { return }  // not all on disk yet
            let index = mark / list.size
            guard MediaChunkList.hash(of: chunk) == list.hashes[index] else {
                throw Mismatch(chunk: index, offset: mark)
            }
            mark = end
            arrival.verified(upTo: mark)
        }
    }
}
