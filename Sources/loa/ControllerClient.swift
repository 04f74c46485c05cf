import Foundation
import LoaController
import LoaProtocol

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The CLI's way to the controller's API: address and token from the controller's
/// settings file, or given on the command line.
struct ControllerClient {
    let baseURL: URL
    let token: String

    init(configPath: String?, controllerURL: String?, tokenFile: String?) throws {
        var url = controllerURL
        var tokenPath = tokenFile
        if let configPath {
            let configuration = try ControllerConfiguration.load(from: configPath)
            url = url ?? configuration.httpAddress
            tokenPath = tokenPath ?? APIToken.file(in: configuration.dataDirectory).path
        }
        guard let url, let base = URL(string: url), let tokenPath else {
            throw ConfigurationError(
                path: "command line", problems: ["give --config CONTROLLER.json, or both --controller URL and --token-file FILE"])
        }
        baseURL = base
        token = try APIToken.load(from: URL(fileURLWithPath: tokenPath))
    }

    /// Sends a request to `path` under `/api/v1` and returns the body of a 2xx answer.
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent("api/v1").appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        return try await PublicFetch.perform(request)
    }
}

/// HTTP requests to the controller, with its error messages passed on.
enum PublicFetch {
    /// GETs a public URL (the log endpoints need no token).
    static func get(_ url: URL) async throws -> Data { try await perform(URLRequest(url: url)) }

    /// Performs `request` and returns the body of a 2xx answer.
    static func perform(_ request: URLRequest) async throws -> Data {
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            let address = request.url?.absoluteString ?? "?"
            throw ClientError("cannot reach the controller at \(address): \(error.localizedDescription); is `loa controller` running?")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let message = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])
                .flatMap { ($0["error"] as? [String: Any])?["message"] as? String }
                ?? String(decoding: data, as: UTF8.self)
            throw ClientError("the controller answered \(status): \(message)")
        }
        return data
    }
}

/// A failure talking to the controller, in words for the officer.
struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
