import Foundation
import Hummingbird
import LoaProtocol

extension ControllerRouter {
    /// The JSON body of `request`, decoded, at most `limit` bytes.
    /// - Parameter emptyIs: what an empty body means, when it may be empty.
    /// - Throws: `HTTPError` 415 for another content type, 413 past `limit`, 400 naming
    ///   the field that cannot be read and what it should be; Vietnamese first.
    static func jsonBody<T: Decodable>(_ type: T.Type, of request: Request, upTo limit: Int, emptyIs: T? = nil) async throws -> T {
        let body = try await collect(request, upTo: limit)
        if body.readableBytes == 0, let emptyIs { return emptyIs }
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw HTTPError(
                .unsupportedMediaType,
                message: "Nội dung phải là JSON, không phải \(contentType) (the body must be JSON: Content-Type: application/json)")
        }
        do {
            return try WireCoding.decode(type, from: Data(body.readableBytesView))
        } catch WireError.malformed(_, let detail) {
            // The detail names the field and what it should be; the type's name is ours, not the client's.
            throw HTTPError(.badRequest, message: detail)
        }
    }

    /// The raw body of an upload (audio, an image, a PDF), at most `limit` bytes; a body
    /// labelled as text, JSON or a form is refused: it is not the file.
    /// - Throws: `HTTPError` 415 or 413.
    static func fileBody(of request: Request, upTo limit: Int) async throws -> Data {
        if let contentType = request.headers[.contentType]?.lowercased(),
           ["application/json", "text/", "multipart/", "application/x-www-form-urlencoded"].contains(where: contentType.hasPrefix) {
            throw HTTPError(
                .unsupportedMediaType,
                message: "Gửi chính tệp, không phải \(contentType) (send the file itself, e.g. Content-Type: application/octet-stream or audio/wav)")
        }
        return Data(try await collect(request, upTo: limit).readableBytesView)
    }

    private static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw HTTPError(
                .contentTooLarge,
                message: "Nội dung quá lớn: tối đa \(limit / 1024) KiB (the body is larger than \(limit / 1024) KiB)")
        }
    }
}
