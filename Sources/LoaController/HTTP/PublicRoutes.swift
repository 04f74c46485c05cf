import Foundation
import Hummingbird
import LoaDomain
import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// What needs no console user: `/healthz`, audio for receivers (their device token),
    /// and the transparency log, which anyone may fetch and check (docs/transparency.md).
    static func addPublicRoutes(to router: Router<ControllerRequestContext>, controller: Controller) {
        router.get("/healthz") { _, _ in "ok" }

        // Receivers fetch audio by hash with their device token; the hash is what they verify.
        router.get("/media/:sha256") { request, context -> Response in
            guard let device = request.headers[.authorization].flatMap({ controller.mediaAccess.device(authorization: $0) })
            else { throw HTTPError(.unauthorized, message: "Cần mã thiết bị (a device media token is required: Authorization: Bearer DEVICE:TOKEN)") }
            guard !controller.mediaAccess.isRevoked(device) else {
                throw HTTPError(.forbidden, message: "Thiết bị \(device) đã bị thu hồi (device \(device) is revoked)")
            }
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), let reference = try await controller.store.media(sha256: sha256),
                let data = controller.media.files.data(for: sha256)
            else { throw HTTPError(.notFound, message: "Không có tệp sha256 \(sha256) (no media with sha256 \(sha256))") }
            return Response(
                status: .ok, headers: [.contentType: reference.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

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
