#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaDomain
public import LoaProtocol
import LoaHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Where a receiver downloads the audio its items name. What it writes is checked
/// against the item's hash by ``MediaCache`` before it is kept or played.
public protocol MediaDownloader: Sendable {
    /// Appends the bytes served for `media` from byte `offset` on to `file` (created when
    /// absent) as they arrive, and returns once the last has arrived. When it throws, what
    /// arrived stays in `file`, so that the next attempt resumes after it.
    /// - Throws: `MediaError.download` when they cannot be had.
    func download(_ media: MediaReference, appendingTo file: URL, from offset: Int) async throws

    /// The hash of each chunk of `media`, checked against the root its item carries.
    /// - Throws: `MediaError.download` when it cannot be had or is not the signed one.
    func chunkList(of media: MediaReference) async throws -> MediaChunkList
}

/// The controller's media endpoint, `{baseURL}/media/{sha256}`, asked with the device's
/// token and, to resume, an HTTP `Range` from the bytes already there.
public struct HTTPMediaDownloader: MediaDownloader {
    let controller: DeviceHTTP

    /// - Parameters:
    ///   - caFile: for an `https://` controller, the CA certificates (PEM) to trust; nil: the system's.
    ///   - idleTimeout: how long the connection may stay silent before the attempt is given up.
    public init(baseURL: URL, device: String, token: String, caFile: String? = nil, idleTimeout: Duration = .seconds(20)) {
        controller = DeviceHTTP(baseURL: baseURL, device: device, token: token, caFile: caFile, idleTimeout: idleTimeout)
    }

    public func download(_ media: MediaReference, appendingTo file: URL, from offset: Int) async throws {
        let url = controller.url("media", media.sha256).absoluteString
        var fields = controller.fields
        if offset > 0 { fields.append(.init(name: "Range", value: "bytes=\(offset)-")) }
        let path = file.path
        do {
            try await controller.client.get(url, fields: fields) { head throws(MediaError) in
                try MediaFileAppender(answer: head, asked: offset, file: path, url: url)
            }
        } catch let error as HTTPClientError {
            throw MediaError.download(url: url, reason: error.description)
        }
    }
}

extension HTTPMediaDownloader {
    /// `GET {baseURL}/media/{sha256}/chunks`, checked against the item's signed root.
    public func chunkList(of media: MediaReference) async throws -> MediaChunkList {
        let url = controller.url("media", media.sha256, "chunks")
        let body: Data, status: Int
        do {
            (body, status) = try await controller.get(url)
        } catch {
            throw MediaError.download(url: url.absoluteString, reason: "\(error)")
        }
        guard status == 200 else { throw MediaError.download(url: url.absoluteString, reason: "HTTP \(status)") }
        return try MediaChunkList.downloaded(body, for: media, from: url.absoluteString)
    }
}

extension MediaChunkList {
    /// The list in `body` when it is the one `media`'s item names (``checked(_:for:)``).
    /// - Throws: `MediaError.download` naming `url` and why the list was refused.
    public static func downloaded(_ body: Data, for media: MediaReference, from url: String) throws -> MediaChunkList {
        switch checked(body, for: media) {
        case .success(let list): return list
        case .failure(let problem): throw MediaError.download(url: url, reason: "chunk list refused: \(problem)")
        }
    }
}

/// One download's bytes appended to the cache's part file as they arrive, once the
/// answer is one that continues it: 206 from the byte asked, or 200 (the whole file,
/// from a server that does not resume). The file is closed when the download ends,
/// however it ends (a 4G link cut mid-body among them).
final class MediaFileAppender: HTTPBodySink {
    private var descriptor: Int32
    private let file: String
    private let url: String

    init(answer head: HTTPResponseHead, asked offset: Int, file: String, url: String) throws(MediaError) {
        self.file = file
        self.url = url
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC
        switch head.status {
        case 206 where offset > 0:
            // Content-Range: bytes START-END/TOTAL must start where the file ends.
            let range = head.value(of: "Content-Range") ?? ""
            let start = range.split(whereSeparator: { " -/".contains($0) }).dropFirst().first.flatMap { Int($0) }
            guard start == offset else {
                throw .download(url: url, reason: "asked from byte \(offset), the answer is \(range)")
            }
            flags |= O_APPEND
        case 200:
            flags |= O_TRUNC
        default:
            throw .download(url: url, reason: "HTTP \(head.status)")
        }
        descriptor = open(file, flags, 0o600)
        guard descriptor >= 0 else { throw .download(url: url, reason: "cannot write \(file): \(String(cString: strerror(errno)))") }
        if flags & O_APPEND != 0, lseek(descriptor, 0, SEEK_END) != off_t(offset) {
            throw .download(url: url, reason: "\(file) no longer holds the \(offset) bytes the download resumes after")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func write(_ piece: ArraySlice<UInt8>) throws {
        var written = 0
        while written < piece.count {
            let count = piece.dropFirst(written).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 || errno == EINTR else {
                throw MediaError.download(url: url, reason: "cannot write \(file): \(String(cString: strerror(errno)))")
            }
            written += max(count, 0)
        }
    }

    func finish() throws {
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw MediaError.download(url: url, reason: "cannot write \(file): \(String(cString: strerror(errno)))") }
    }
}

/// Requests to the controller's HTTP server as one device: its token in `Authorization`.
struct DeviceHTTP: Sendable {
    let baseURL: URL
    let client: HTTPClient
    /// The `Authorization` field that proves which device asks.
    let fields: [HTTPField]
    /// The largest answer read into memory (documents, clock readings, chunk lists).
    static let smallAnswerLimit = 4 << 20

    init(baseURL: URL, device: String, token: String, caFile: String?, idleTimeout: Duration = .seconds(20)) {
        self.baseURL = baseURL
        client = HTTPClient(caFile: caFile, idleTimeout: idleTimeout)
        fields = [.init(name: "Authorization", value: "Bearer \(device):\(token)")]
    }

    /// `{baseURL}/{path…}`.
    func url(_ path: String...) -> URL { path.reduce(baseURL) { $0.appendingPathComponent($1) } }

    /// The body and status of a GET of `url` (a document or a clock reading: small).
    func get(_ url: URL) async throws -> (body: Data, status: Int) {
        let answer = try await client.get(url.absoluteString, fields: fields, bodyLimit: Self.smallAnswerLimit)
        return (Data(answer.body), answer.status)
    }
}
