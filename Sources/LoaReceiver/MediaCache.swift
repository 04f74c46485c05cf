public import Foundation
public import LoaDomain
import LoaFiles
import LoaProtocol

/// Audio kept on the device, by SHA-256; downloaded ahead of air time and checked
/// against its hash before it is kept or played.
public struct MediaCache: Sendable {
    public let directory: URL
    /// Where what is not cached yet comes from.
    let downloader: any MediaDownloader

    public init(directory: URL, downloader: any MediaDownloader) throws {
        self.directory = directory
        self.downloader = downloader
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The verified bytes of `media`, from the cache or else downloaded.
    /// - Throws: `MediaError` when the download fails or the bytes do not match the hash;
    ///   nothing unverified is ever kept.
    public func bytes(of media: MediaReference) async throws -> Data {
        let file = directory.appendingPathComponent(media.sha256)
        if let cached = try? Data(contentsOf: file), MediaDigest.sha256(cached) == media.sha256 {
            return cached
        }
        let data = try await downloader.download(media)
        let actual = MediaDigest.sha256(data)
        guard actual == media.sha256 else {
            throw MediaError.hashMismatch(expected: media.sha256, actual: actual, bytes: data.count)
        }
        try DurableFile.write(data, to: file)
        return data
    }
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
