import ArgumentParser
import Foundation
import LoaController
import LoaDomain
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

    /// GETs a JSON answer under `/api/v1`.
    func get<Answer: Decodable>(_ path: String, as type: Answer.Type) async throws -> Answer {
        try WireCoding.decode(type, from: try await send("GET", path))
    }

    /// POSTs `body` as JSON under `/api/v1` and decodes the JSON answer.
    func post<Answer: Decodable>(_ path: String, json body: some Encodable, as type: Answer.Type) async throws -> Answer {
        try WireCoding.decode(type, from: try await send("POST", path, body: try WireCoding.encode(body)))
    }

    /// Uploads audio (WAV or MP3) and returns what the controller stored.
    func uploadMedia(_ data: Data) async throws -> MediaReference {
        try WireCoding.decode(
            MediaReference.self, from: try await send("POST", "media", body: data, contentType: "application/octet-stream"))
    }
}

/// How a command reaches the controller's API: its settings file (address; the
/// bootstrap admin token unless a token file is given), or an address and a token file.
struct ControllerConnection: ParsableArguments {
    @Option(help: "Controller settings file; gives the address (and the admin token when --token-file is not given)")
    var config: String?
    @Option(help: "Controller address, e.g. http://127.0.0.1:8080 (instead of --config)")
    var controller: String?
    @Option(help: "Your API token file (from `loa user add … --token-out FILE`)")
    var tokenFile: String?

    /// A client for the controller.
    func client() throws -> ControllerClient {
        try ControllerClient(configPath: config, controllerURL: controller, tokenFile: tokenFile)
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
            let hint = status == 401 || status == 403
                ? "\n  → dùng --token-file với mã của người có vai trò phù hợp (use --token-file with the token of a user who has the role; `loa user add … --token-out FILE`)"
                : ""
            throw ClientError("the controller answered \(status): \(message)\(hint)")
        }
        return data
    }
}

/// A failure talking to the controller, in words for the officer.
struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
