import Foundation
import Hummingbird
import LoaDomain
import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// What needs no console user: `/healthz` and the transparency log, which anyone may
    /// fetch and check (docs/transparency.md). Receivers' routes: `addReceiverRoutes`.
    static func addPublicRoutes(to router: Router<ControllerRequestContext>, controller: Controller) {
        router.get("/healthz") { _, _ in "ok" }

        router.get("/log/checkpoint") { _, _ -> Response in
            guard let note = try await controller.store.latestCheckpoint() else {
                throw HTTPError(.notFound, message: "Nhật ký chưa có mục nào (the log has no entry yet)")
            }
            return text(note, contentType: "text/plain; charset=utf-8")
        }
        router.get("/log/key") { _, _ -> String in controller.store.verifierKey.text + "\n" }
        // Rows as docs/transparency.md gives them: {index, entry, leafHash, chainHash}, bytes in base64.
        router.get("/log/entries") { request, _ -> Response in
            let from = request.uri.queryParameters["from"].flatMap { UInt64($0) } ?? 0
            let count = min(request.uri.queryParameters["count"].flatMap { UInt64($0) } ?? 1000, 10_000)
            return try await json(controller.store.logRecords(in: from..<(from + count)))
        }
        router.get("/log/proof/inclusion/:index") { _, context -> Response in
            guard let index = context.parameters.get("index", as: UInt64.self) else {
                throw HTTPError(.badRequest, message: "Số thứ tự mục phải là số nguyên (the entry index must be a whole number)")
            }
            do {
                return try await json(controller.store.inclusionProof(index: index))
            } catch let error as LogQueryError {
                throw HTTPError(.notFound, message: error.description)
            }
        }
        router.get("/log/proof/consistency") { request, _ -> Response in
            guard let from = request.uri.queryParameters["from"].flatMap({ UInt64($0) }),
                let to = request.uri.queryParameters["to"].flatMap({ UInt64($0) })
            else { throw HTTPError(.badRequest, message: "Cần ?from=CŨ&to=MỚI (give ?from=OLD_SIZE&to=NEW_SIZE)") }
            do {
                return try await json(controller.store.consistencyProof(from: from, to: to))
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
        }
    }
}
