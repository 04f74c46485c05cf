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
    public let baseURL: URL
    /// The `Authorization` header value that proves which device asks.
    let authorization: String

    public init(baseURL: URL, device: String, token: String) {
        self.baseURL = baseURL
        authorization = "Bearer \(device):\(token)"
    }

    public func download(_ media: MediaReference) async throws -> Data {
        let url = baseURL.appendingPathComponent("media").appendingPathComponent(media.sha256)
        do {
            var request = URLRequest(url: url)
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
            let (body, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 200 else { throw MediaError.download(url: url.absoluteString, reason: "HTTP \(status)") }
            return body
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError.download(url: url.absoluteString, reason: error.localizedDescription)
        }
    }
}
