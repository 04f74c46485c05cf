#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import LoaFiles
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
    private let state = Mutex<(verified: Int, failure: String?, problem: String?)>((0, nil, nil))

    init(length: Int, part: URL, file: URL) {
        self.length = length
        self.part = part
        self.file = file
    }

    public var readableBytes: Int { state.withLock { $0.verified } }
    public var failure: String? { state.withLock { $0.failure } }
    /// What broke the latest attempt, if one broke (the download is tried again).
    public var latestProblem: String? { state.withLock { $0.problem } }

    /// The partial file while it is there, else the finished one (put in place meanwhile).
    public func open() throws -> ReadOnlyFile {
        do {
            return try ReadOnlyFile(url: part)
        } catch {
            return try ReadOnlyFile(url: file)
        }
    }

    /// Bytes from the start verified so far: `bytes` from now on (never less than before).
    func verified(upTo bytes: Int) { state.withLock { $0.verified = max($0.verified, min(bytes, length)) } }

    /// An attempt broke (a broken link, a chunk that did not match): said when it is given up.
    func attemptBroke(_ problem: String) { state.withLock { $0.problem = problem } }

    /// No more will arrive: readers waiting at the mark are told why.
    func giveUp(_ reason: String) { state.withLock { $0.failure = reason } }
}
