public import Foundation
public import LoaDomain
public import LoaProtocol
import LoaURLSession
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
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
    /// How long the connection may stay silent before the attempt is given up.
    let idleTimeout: TimeInterval

    public init(baseURL: URL, device: String, token: String, idleTimeout: TimeInterval = 20) {
        controller = DeviceHTTP(baseURL: baseURL, device: device, token: token)
        self.idleTimeout = idleTimeout
    }

    public func download(_ media: MediaReference, appendingTo file: URL, from offset: Int) async throws {
        let url = controller.url("media", media.sha256)
        var request = URLRequest(url: url)
        request.setValue(controller.authorization, forHTTPHeaderField: "Authorization")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        request.timeoutInterval = idleTimeout
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        let fetch = MediaFileFetch(file: file, offset: offset, url: url.absoluteString)
        let session = URLSession(configuration: .ephemeral, delegate: fetch, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let cancellation = URLTaskCancellation()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                fetch.whenDone(continuation)
                cancellation.started(session.dataTask(with: request))
            }
        } onCancel: {
            cancellation.cancel()
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
            throw MediaError.download(url: url.absoluteString, reason: error.localizedDescription)
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

/// One download's bytes appended to a file as URLSession hands them over.
///
/// Sendable: every mutable part is behind the mutex; URLSession calls the delegate on its
/// own serial queue, and the continuation is resumed exactly once, when the task completes.
final class MediaFileFetch: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var handle: FileHandle?
        var failure: MediaError?
        var continuation: CheckedContinuation<Void, any Error>?
        var completed: (any Error)??
    }

    private let file: URL
    private let offset: Int
    private let url: String
    private let state = Mutex(State())

    init(file: URL, offset: Int, url: String) {
        self.file = file
        self.offset = offset
        self.url = url
    }

    /// Resumes `continuation` when the download ends (at once when it already has).
    func whenDone(_ continuation: CheckedContinuation<Void, any Error>) {
        let ended = state.withLock { state -> (any Error)?? in
            guard let completed = state.completed else {
                state.continuation = continuation
                return nil
            }
            return .some(completed)
        }
        if let ended { ended.map { continuation.resume(throwing: $0) } ?? continuation.resume() }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let failure: MediaError?
        do {
            switch status {
            case 206 where offset > 0:
                // Content-Range: bytes START-END/TOTAL must start where the file ends.
                let range = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range") ?? ""
                let start = range.split(whereSeparator: { " -/".contains($0) }).dropFirst().first.flatMap { Int($0) }
                guard start == offset else {
                    throw MediaError.download(url: url, reason: "asked from byte \(offset), the answer is \(range)")
                }
                try open(truncating: false)
                failure = nil
            case 200:
                try open(truncating: true)  // the whole file (a server that does not resume)
                failure = nil
            default:
                failure = .download(url: url, reason: "HTTP \(status)")
            }
        } catch let error as MediaError {
            failure = error
        } catch {
            failure = .download(url: url, reason: "cannot write \(file.path): \(error.localizedDescription)")
        }
        state.withLock { $0.failure = failure }
        completionHandler(failure == nil ? .allow : .cancel)
    }

    private func open(truncating: Bool) throws {
        if truncating || !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw MediaError.download(url: url, reason: "cannot create \(file.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        state.withLock { $0.handle = handle }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { state in
            guard state.failure == nil, let handle = state.handle else { return }
            do {
                try handle.write(contentsOf: data)
            } catch {
                state.failure = .download(url: url, reason: "cannot write \(file.path): \(error.localizedDescription)")
                dataTask.cancel()
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, (any Error)?) in
            try? state.handle?.close()
            state.handle = nil
            let outcome: (any Error)? = state.failure ?? error.map { MediaError.download(url: url, reason: $0.localizedDescription) }
            state.completed = .some(outcome)
            defer { state.continuation = nil }
            return (state.continuation, outcome)
        }
        guard let continuation else { return }
        if let outcome { continuation.resume(throwing: outcome) } else { continuation.resume() }
    }
}

/// Requests to the controller's HTTP server as one device: its token in `Authorization`.
struct DeviceHTTP: Sendable {
    let baseURL: URL
    /// The `Authorization` header value that proves which device asks.
    let authorization: String

    init(baseURL: URL, device: String, token: String) {
        self.baseURL = baseURL
        authorization = "Bearer \(device):\(token)"
    }

    /// `{baseURL}/{path…}`.
    func url(_ path: String...) -> URL { path.reduce(baseURL) { $0.appendingPathComponent($1) } }

    /// The body and status of a GET of `url` (a document or a clock reading: small).
    func get(_ url: URL) async throws -> (body: Data, status: Int) {
        var request = URLRequest(url: url)
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        return try await CancellableRequest.data(for: request)
    }
}
