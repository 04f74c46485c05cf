import Crypto
public import Foundation
import LoaFiles

/// Synthesised speech on disk, one WAV file per key: the SHA-256 of the engine's
/// identity (program, voice, settings) and the words read, so the same notice read by
/// the same voice is synthesised once, and a change of voice or text makes a new file.
///
/// Files are written atomically (a temporary file renamed), so a crash never leaves
/// half a file under a key. Nothing is ever removed by Loa; deleting the folder is safe
/// (the speech is made again when needed).
public struct SpeechCache: Sendable {
    /// The folder holding the files.
    public let directory: URL

    /// Uses (and creates) `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The key of `spokenText` read by the engine `engineIdentity` (lowercase hex SHA-256).
    public static func key(engineIdentity: String, spokenText: String) -> String {
        let material = "loa-speech-v1\n\(engineIdentity)\n\(spokenText.precomposedStringWithCanonicalMapping)"
        return SHA256.hash(data: Data(material.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The WAV stored under `key`, or nil.
    public func audio(for key: String) -> Data? {
        try? Data(contentsOf: url(for: key))
    }

    /// Stores `wav` under `key`: as a second name of `file` (another cache's file of the
    /// same speech, `Speech.file`) where it can, so a province's emergency read for
    /// hundreds of communes is written to disk once.
    /// - Returns: the file it is stored in.
    @discardableResult
    public func store(_ wav: Data, for key: String, sameAs file: URL? = nil) throws -> URL {
        let target = url(for: key)
        try DurableFile.write(wav, to: target, sameAs: file)
        return target
    }

    /// Where the file for `key` lives (it may not exist).
    public func url(for key: String) -> URL { directory.appendingPathComponent("\(key).wav") }
}
