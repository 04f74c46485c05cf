public import Foundation
public import LoaAudio
import Synchronization

/// A media file being downloaded chunk by chunk, each chunk checked against its hash as
/// it arrives (``ChunkCheck``): how far it is verified, which only moves forward. The
/// player reads it up to that mark and no further (`AudioFile(arriving:)`), so nothing
/// unverified ever reaches the speaker.
public final class MediaArrival: ArrivingFile {
    public let length: Int
    /// Where the bytes arrive, and where the file is put once whole and verified.
    let part: URL
    let file: URL
    private let state = Mutex<(verified: Int, failure: String?)>((0, nil))

    init(length: Int, part: URL, file: URL) {
        self.length = length
        self.part = part
        self.file = file
    }

    public var readableBytes: Int { state.withLock { $0.verified } }
    public var failure: String? { state.withLock { $0.failure } }

    /// The partial file while it is there, else the finished one (put in place meanwhile).
    public func open() throws -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: part)
        } catch {
            return try FileHandle(forReadingFrom: file)
        }
    }

    /// Bytes from the start verified so far: `bytes` from now on (never less than before).
    func verified(upTo bytes: Int) { state.withLock { $0.verified = max($0.verified, min(bytes, length)) } }

    /// No more will arrive: readers waiting at the mark are told why.
    func giveUp(_ reason: String) { state.withLock { $0.failure = reason } }
}
