import Foundation
import LoaProtocol

/// The chunk hash lists (``MediaChunkList``) of media files, computed in this process by
/// SHA-256 of the file: a function of the bytes alone, read once per file, not once per
/// dispatch, per commune or per receiver asking. Bounded: emptied when full.
final class MediaChunkLists: Sendable {
    static let shared = MediaChunkLists()

    private let lists = BoundedMemo<String, MediaChunkList>(capacity: 1024)

    /// The list of the file `sha256` at `file`, remembered or read now (64 KiB at a time);
    /// nil when the file cannot be read or is not the bytes of `sha256`.
    func list(sha256: String, file: URL) -> MediaChunkList? {
        lists.value(for: sha256) { MediaChunkList.of(fileAt: file, sha256: sha256) }
    }
}
