public import Foundation
public import LoaDomain

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a receiver downloads the audio its items name. What it returns is checked
/// against the item's hash by ``MediaCache`` before it is kept or played.
public protocol MediaDownloader: Sendable {
    /// The bytes served for `media`.
    /// - Throws: `MediaError.download` when they cannot be had.
    func download(_ media: MediaReference) async throws -> Data
}

/// The controller's media endpoint, `{baseURL}/media/{sha256}`, asked with the device's token.
public struct HTTPMediaDownloader: MediaDownloader {
    let controller: DeviceHTTP

    public init(baseURL: URL, device: String, token: String) {
        controller = DeviceHTTP(baseURL: baseURL, device: device, token: token)
    }

    public func download(_ media: MediaReference) async throws -> Data {
        let url = controller.url("media", media.sha256)
        do {
            let (body, status) = try await controller.get(url)
            guard status == 200 else { throw MediaError.download(url: url.absoluteString, reason: "HTTP \(status)") }
            return body
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError.download(url: url.absoluteString, reason: error.localizedDescription)
        }
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

    /// The body and status of a GET of `url`.
    func get(_ url: URL) async throws -> (body: Data, status: Int) {
        var request = URLRequest(url: url)
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (body, response) = try await URLSession.shared.data(for: request)
        return (body, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }
}
