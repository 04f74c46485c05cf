#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Glibc
public import LoaDomain
import LoaFiles
import LoaProtocol
import Synchronization

/// Audio and attachments kept on the device by SHA-256: downloaded ahead of air time to a
/// `.part` file as the bytes arrive (resumed where it stopped after a broken connection),
/// checked against the hash, then put in place. Nothing unverified is ever played, and a
/// file is never held whole in memory to be fetched or checked.
///
/// Audio whose item names its chunk root (``MediaChunks``) is also checked chunk by chunk
/// as it arrives, against the hash list the controller serves (itself checked against the
/// signed root): its ``MediaArrival`` says how far it is verified, so that it can be played
/// before it is whole. A chunk that does not match is thrown away with all after it and
/// fetched again.
public final class MediaCache: Sendable {
    public let directory: URL
    /// Where what is not cached yet comes from.
    let downloader: any MediaDownloader
    /// The fetch under way for each hash: two items with the same audio (or an item and
    /// a notice) share one download and one `.part` file.
    private let underWay = Mutex<[String: Task<URL, any Error>]>([:])
    /// Chunked downloads not finished yet, by hash: how far each is verified (across attempts).
    private let arrivals = Mutex<[String: MediaArrival]>([:])
    /// How often a chunked download's new bytes are checked.
    static let chunkCheckInterval: Duration = .milliseconds(50)

    public init(directory: URL, downloader: any MediaDownloader) throws {
        self.directory = directory
        self.downloader = downloader
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The verified file of `media`, from the cache or else downloaded (resuming what an
    /// earlier attempt left in its `.part` file); callers asking for the same hash at once
    /// wait for the same fetch. A caller cancelled while it waits leaves the fetch to the others.
    /// - Throws: `MediaError` when the download fails (what arrived is kept for the next
    ///   attempt) or the bytes do not match the hash (they are deleted).
    public func file(of media: MediaReference) async throws -> URL {
        let shared = underWay.withLock { underWay in
            if let running = underWay[media.sha256] { return running }
            let started = Task { [self] in
                defer { _ = self.underWay.withLock { $0.removeValue(forKey: media.sha256) } }
                return try await self.fetch(media)
            }
            underWay[media.sha256] = started
            return started
        }
        return try await shared.value
    }

    /// One fetch of `media`: the cache, or the rest of its download.
    private func fetch(_ media: MediaReference) async throws -> URL {
        let file = directory.appendingPathComponent(media.sha256)
        if FileManager.default.fileExists(atPath: file.path) {
            if MediaDigest.sha256(fileAt: file) == media.sha256 { return file }
            try? FileManager.default.removeItem(at: file)  // damaged on the device: fetched again
        }
        let part = partFile(of: media)
        var have = Self.size(of: part)
        if have > media.bytes {  // more than the file has: start again
            try? FileManager.default.removeItem(at: part)
            have = 0
        }
        if let chunks = media.chunks, chunks.isWellFormed, media.bytes > 0 {
            try await downloadCheckingChunks(media, to: part, into: file)
        } else if have != media.bytes {
            try await downloader.download(media, appendingTo: part, from: have)
        }
        let actual = MediaDigest.sha256(fileAt: part) ?? "unreadable"
        guard actual == media.sha256 else {
            let size = Self.size(of: part)
            try? FileManager.default.removeItem(at: part)
            throw MediaError.hashMismatch(expected: media.sha256, actual: actual, bytes: size)
        }
        do {
            try DurableFile.moveIntoPlace(part, to: file)
        } catch {
            throw MediaError.download(url: file.path, reason: "cannot keep the verified file: \(error)")
        }
        arrivals.withLock { _ = $0.removeValue(forKey: media.sha256) }
        return file
    }

    /// How `media` is arriving while its chunked download is under way (nil before it
    /// starts, after the file is whole, and for media whose item names no chunks).
    public func arrival(of media: MediaReference) -> MediaArrival? {
        arrivals.withLock { $0[media.sha256] }
    }

    /// Tells whoever plays `media` as it arrives that no more will come, and why.
    public func giveUp(_ media: MediaReference, reason: String) {
        arrivals.withLock { $0.removeValue(forKey: media.sha256) }?.giveUp(reason)
    }

    /// Downloads the rest of `media` into `part`, checking each chunk as it lands: the hash
    /// list first (against the signed root), then what an earlier attempt left, then the
    /// new bytes every ``chunkCheckInterval``.
    /// - Throws: `MediaError.download` when the download breaks, the list is refused, or a
    ///   chunk does not match (it and what follows are deleted, to be fetched again).
    private func downloadCheckingChunks(_ media: MediaReference, to part: URL, into file: URL) async throws {
        let arrival = arrivals.withLock { arrivals in
            if let known = arrivals[media.sha256] { return known }
            let started = MediaArrival(length: media.bytes, part: part, file: file)
            arrivals[media.sha256] = started
            return started
        }
        do {
            let check = ChunkCheck(list: try await downloader.chunkList(of: media), arrival: arrival)
            try check.advance(upTo: Self.size(of: part))
            let have = Self.size(of: part)
            guard have < media.bytes else { return }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.downloader.download(media, appendingTo: part, from: have) }
                group.addTask {
                    while true {
                        try await Task.sleep(for: Self.chunkCheckInterval)
                        try check.advance(upTo: Self.size(of: part))
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            try check.advance(upTo: Self.size(of: part))
        } catch let mismatch as ChunkCheck.Mismatch {
            // Keep what was verified; the rest is fetched again from there.
            _ = truncate(part.path, off_t(mismatch.offset))
            let error = MediaError.download(
                url: media.sha256,
                reason: "hash mismatch in chunk \(mismatch.chunk) (from byte \(mismatch.offset)); it and what followed were thrown away, to be fetched again")
            arrival.attemptBroke(error.description)
            throw error
        } catch {
            arrival.attemptBroke("\(error)")
            throw error
        }
    }

    /// The verified bytes of `media` (a notice's attachment: at most 10 MB).
    /// - Throws: as ``file(of:)``.
    public func bytes(of media: MediaReference) async throws -> Data {
        let file = try await file(of: media)
        do {
            return try ReadOnlyFile.contents(atPath: file.path)
        } catch {
            throw MediaError.download(url: file.path, reason: error.reason)
        }
    }

    /// The bytes in `file`; 0 when there is none. (`stat` itself: FileManager's
    /// attributes come as NSNumber, from swift-corelibs Foundation, which a receiver
    /// does not link.)
    static func size(of file: URL) -> Int {
        var status = stat()
        return stat(file.path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Where the bytes of `media` arrive until they are whole and verified.
    func partFile(of media: MediaReference) -> URL { directory.appendingPathComponent(".\(media.sha256).part") }
}

/// Why media could not be had.
public enum MediaError: Error, Equatable, CustomStringConvertible {
    case download(url: String, reason: String)
    case hashMismatch(expected: String, actual: String, bytes: Int)

    public var description: String {
        switch self {
        case .download(let url, let reason): "download of \(url) failed: \(reason)"
        case .hashMismatch(let expected, let actual, let bytes):
            "hash mismatch: expected sha256 \(expected), got \(actual) (\(bytes) bytes); refused, not played"
        }
    }
}
