public import Foundation
public import LoaDomain
public import LoaReceiver
import LoaProtocol
import Synchronization

/// Media a test serves to a receiver without a controller: the bytes it was given for
/// each hash (right or, to test the receiver's check, wrong), and a download error for
/// any other. It counts the downloads.
public final class ServedMedia: MediaDownloader {
    private struct State {
        var files: [String: Data] = [:]
        var downloads = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Serves `data` under its own SHA-256 and returns the reference an item carries.
    @discardableResult
    public func serve(_ data: Data, contentType: String = "audio/wav", durationMs: Int = 0) -> MediaReference {
        let sha256 = MediaDigest.sha256(data)
        state.withLock { $0.files[sha256] = data }
        return MediaReference(sha256: sha256, bytes: data.count, contentType: contentType, durationMs: durationMs)
    }

    /// Serves `data` under `sha256`, whatever its real hash.
    public func serve(_ data: Data, as sha256: String) { state.withLock { $0.files[sha256] = data } }

    /// How many downloads were asked for.
    public var downloads: Int { state.withLock { $0.downloads } }

    public func download(_ media: MediaReference) async throws -> Data {
        let file = state.withLock { state in
            state.downloads += 1
            return state.files[media.sha256]
        }
        guard let file else { throw MediaError.download(url: "test://media/\(media.sha256)", reason: "HTTP 404") }
        return file
    }
}
