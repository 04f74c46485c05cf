public import Foundation
public import LoaDomain
public import LoaReceiver
public import LoaProtocol
import Synchronization

/// Media a test serves to a receiver without a controller: the bytes it was given for
/// each hash (right or, to test the receiver's check, wrong), and a download error for
/// any other. It counts the downloads and the bytes it sent, and can break a download
/// part way, as a 4G link does.
public final class ServedMedia: MediaDownloader {
    private struct State {
        var files: [String: Data] = [:]
        var downloads = 0
        var bytesSent = 0
        var offsets: [Int] = []
        var cuts: [Int] = []
        var corruptions: [Int] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Serves `data` under its own SHA-256 and returns the reference an item carries.
    /// With `chunkSize`, the reference names the data's chunk root, as items of Loa's
    /// controller do, so that the receiver checks it chunk by chunk.
    @discardableResult
    public func serve(_ data: Data, contentType: String = "audio/wav", durationMs: Int = 0, chunkSize: Int? = nil) -> MediaReference {
        let sha256 = MediaDigest.sha256(data)
        state.withLock { $0.files[sha256] = data }
        let chunks = chunkSize.map { MediaChunkList.of(data, size: $0).chunks }
        return MediaReference(sha256: sha256, bytes: data.count, contentType: contentType, durationMs: durationMs, chunks: chunks)
    }

    /// Serves `data` under `sha256`, whatever its real hash.
    public func serve(_ data: Data, as sha256: String) { state.withLock { $0.files[sha256] = data } }

    /// How many downloads were asked for.
    public var downloads: Int { state.withLock { $0.downloads } }

    /// Breaks the next downloads after `bytes` bytes each (one entry a download).
    public func cutNextDownloads(after bytes: [Int]) { state.withLock { $0.cuts = bytes } }

    /// Flips the byte at each of `offsets` of the file in the next downloads (one entry a
    /// download; an offset before where a download starts changes nothing), as a link or
    /// a cache in between might.
    public func corruptNextDownloads(atByte offsets: [Int]) { state.withLock { $0.corruptions = offsets } }

    /// Bytes sent over all downloads.
    public var bytesSent: Int { state.withLock { $0.bytesSent } }

    /// The byte each download was asked from, in order (0 for a whole file; more to resume).
    public var requestedOffsets: [Int] { state.withLock { $0.offsets } }

    public func download(_ media: MediaReference, appendingTo file: URL, from offset: Int) async throws {
        let url = "test://media/\(media.sha256)"
        let (served, cut, corruption) = state.withLock { state -> (Data?, Int?, Int?) in
            state.downloads += 1
            state.offsets.append(offset)
            return (state.files[media.sha256], state.cuts.isEmpty ? nil : state.cuts.removeFirst(),
                    state.corruptions.isEmpty ? nil : state.corruptions.removeFirst())
        }
        guard var served else { throw MediaError.download(url: url, reason: "HTTP 404") }
        if let corruption, served.indices.contains(corruption) { served[corruption] ^= 0xFF }
        var rest = served.dropFirst(offset)
        if let cut { rest = rest.prefix(cut) }
        if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: rest)
        state.withLock { $0.bytesSent += rest.count }
        if cut != nil, offset + rest.count < served.count {
            throw MediaError.download(url: url, reason: "the connection broke after \(rest.count) bytes")
        }
    }

    /// The chunk list of the bytes served under `media`'s hash, as a controller serves it,
    /// checked against the item's root as the receiver's HTTP downloader checks it.
    public func chunkList(of media: MediaReference) async throws -> MediaChunkList {
        let url = "test://media/\(media.sha256)/chunks"
        guard let served = state.withLock({ $0.files[media.sha256] }), let size = media.chunks?.size else {
            throw MediaError.download(url: url, reason: "HTTP 404")
        }
        return try MediaChunkList.downloaded(try WireCoding.encode(MediaChunkList.of(served, size: size)), for: media, from: url)
    }
}
