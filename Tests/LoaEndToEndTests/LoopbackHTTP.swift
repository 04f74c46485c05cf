import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP call to a controller a test started, on a session of its own.
///
/// `URLSession.shared` keeps idle keep-alive connections across tests; when a later
/// test's controller gets the same loopback port, the call may go out on the earlier
/// controller's closed connection and fail with "Empty reply from server".
enum LoopbackHTTP {
    static func data(for request: URLRequest) async throws -> (Data, URLResponse) {
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        return try await session.data(for: request)
    }

    static func data(from url: URL) async throws -> (Data, URLResponse) {
        try await data(for: URLRequest(url: url))
    }
}
