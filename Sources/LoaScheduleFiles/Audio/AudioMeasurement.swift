import Crypto
import Foundation
import LoaAudio
import LoaDomain

/// Reads, decodes and hashes the audio files schedules name, each file once per load.
final class AudioLibrary {
    /// Why an audio file cannot be used.
    enum Problem: Error {
        case missing
        case notAFile
        case unreadable(String)
        case undecodable(String)
    }

    private var measured: [String: Result<MediaReference, Problem>] = [:]
    /// When set, only files inside this folder are read; any other path is missing.
    /// A schedule sent over the API must not reach the server's other files.
    let root: String?

    init(root: String? = nil) { self.root = root.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }

    /// The bytes of the file at the absolute `path`, when `root` allows it.
    func contents(of path: String) -> Result<Data, Problem> {
        if let root, !path.hasPrefix(root.hasSuffix("/") ? root : root + "/") { return .failure(.missing) }
        return Self.bytes(of: path)
    }

    /// The media of the file at the absolute `path`: SHA-256 of its bytes, size, content type,
    /// and the length of its decoded audio.
    func measure(_ path: String) -> Result<MediaReference, Problem> {
        if let known = measured[path] { return known }
        let result = measureFile(path)
        measured[path] = result
        return result
    }

    private func measureFile(_ path: String) -> Result<MediaReference, Problem> {
        let data: Data
        switch contents(of: path) {
        case .success(let read): data = read
        case .failure(let problem): return .failure(problem)
        }
        let audio: PCMAudio
        do {
            audio = try AudioDecoder.decode(data)
        } catch {
            return .failure(.undecodable("\(error)"))
        }
        let milliseconds = audio.sampleRate > 0 ? audio.frameCount * 1000 / audio.sampleRate : 0
        let hash = Self.sha256(data)
        let isWAV = data.prefix(4) == Data("RIFF".utf8)
        return .success(MediaReference(
            sha256: hash, bytes: data.count, contentType: isWAV ? "audio/wav" : "audio/mpeg", durationMs: milliseconds))
    }

    /// The bytes of the file at the absolute `path` (audio or a notice's attachment).
    static func bytes(of path: String) -> Result<Data, Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.missing) }
        if isDirectory.boolValue { return .failure(.notAFile) }
        do {
            return .success(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            return .failure(.unreadable(error.localizedDescription))
        }
    }

    /// Lowercase hex SHA-256 of `data`, as `MediaReference` holds it.
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// `path` as written in a schedule, made absolute against `directory` (the schedule file's folder).
    static func resolve(_ path: String, against directory: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
        return url.standardizedFileURL.path
    }
}
