import Hummingbird
import Logging

/// Every refusal in the documented shape, `{"error": {"message": "…"}}`, in words,
/// Vietnamese first: errors raised without a message (an unknown path, a method a
/// path does not take, a body too large for the server) get the status's words, and
/// an unexpected error a plain 500 that names nothing inside the controller (the log has it).
/// TRACE and CONNECT, which no path takes, are 405 everywhere (TRACE would echo headers and cookies).
struct ErrorWordingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .trace || request.method == .connect {
            throw HTTPError(.methodNotAllowed, message: Self.words(for: .methodNotAllowed))
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.body == nil {
            throw HTTPError(error.status, message: Self.words(for: error.status))
        } catch let error as any HTTPResponseError where !(error is HTTPError) && error.status == .contentTooLarge {
            // NIO's too-many-bytes, from a body collected past its limit: no words of its own.
            throw HTTPError(error.status, message: Self.words(for: error.status))
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw HTTPError(.internalServerError, message: Self.words(for: .internalServerError))
        }
    }

    static func words(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Không có địa chỉ này (no such path); docs/api.md lists the API"
        case .methodNotAllowed: "Địa chỉ này không nhận phương thức đó (this path does not take this method)"
        case .contentTooLarge: "Nội dung quá lớn (the body is too large)"
        case .unauthorized: "Cần đăng nhập (a login or token is required)"
        case .forbidden: "Không được phép (not allowed)"
        case .internalServerError: "Lỗi máy chủ; nhật ký của máy chủ có chi tiết (a server error; the controller's log has the details)"
        default: "\(status.code) \(status.reasonPhrase)"
        }
    }
}
