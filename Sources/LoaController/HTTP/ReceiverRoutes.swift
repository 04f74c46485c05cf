import Foundation
import Hummingbird
import LoaDomain
import LoaProtocol
import LoaProvisioning
import LoaStore

extension ControllerRouter {
    /// What receivers fetch with their device token (`Authorization: Bearer DEVICE:TOKEN`):
    /// audio by hash, their hamlet's signed schedule document while their broker is
    /// away, and the controller's clock. What they fetch they verify, as what comes over MQTT.
    static func addReceiverRoutes(to router: Router<ControllerRequestContext>, controller: Controller) {
        // One NTP-style exchange (docs/protocol.md "Clock"): the controller's clock at the
        // request's arrival and at the response's departure, to the microsecond.
        router.get("/time") { request, _ -> Response in
            let received = controller.clock()
            _ = try device(asking: request, controller)
            let body = try WireCoding.encode(ControllerClockReading(received: received, sent: controller.clock()))
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }

        // The hash is what the receiver verifies. From memory (`MediaInMemory`), or read
        // from disk as it is sent (from the database's copy first, when another controller
        // stored it); a `Range` resumes a download that a broken connection cut (`ByteRange`).
        // A file damaged on disk is replaced by the database's copy, or answered 503.
        router.get("/media/:sha256") { request, context -> Response in
            _ = try device(asking: request, controller)
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), let reference = try await controller.store.media(sha256: sha256),
                let source = try await servedMedia(sha256: sha256, controller)
            else { throw HTTPError(.notFound, message: "Không có tệp sha256 \(sha256) (no media with sha256 \(sha256))") }
            let size = source.size
            func body(_ first: Int, _ last: Int) async throws -> ResponseBody {
                switch source {
                case .memory(let bytes): ResponseBody(byteBuffer: bytes.getSlice(at: bytes.readerIndex + first, length: last - first + 1) ?? bytes)
                case .file(let file, _): try await FileIO().loadFile(path: file.path, range: first...last, context: context)
                }
            }
            var headers: HTTPFields = [.contentType: reference.contentType, .acceptRanges: "bytes"]
            switch ByteRange.request(request.headers[.range], size: size) {
            case .whole:
                headers[.contentLength] = String(size)
                return Response(status: .ok, headers: headers, body: try await body(0, max(0, size - 1)))
            case .part(let range):
                headers[.contentLength] = String(range.last - range.first + 1)
                headers[.contentRange] = "bytes \(range.first)-\(range.last)/\(size)"
                return Response(status: .partialContent, headers: headers, body: try await body(range.first, range.last))
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
        }

        // The SHA-256 of each 64 KiB chunk of a stored audio file, whose root the signed
        // items carry: a receiver checks each chunk as it arrives and may play it before
        // the file is whole (docs/protocol.md "Playing while downloading").
        router.get("/media/:sha256/chunks") { request, context -> Response in
            _ = try device(asking: request, controller)
            let sha256 = try context.parameters.require("sha256")
            guard MediaReference.isSHA256(sha256), try await controller.store.media(sha256: sha256) != nil,
                let list = await controller.media.chunkList(sha256: sha256)
            else { throw HTTPError(.notFound, message: "Không có tệp sha256 \(sha256) (no media with sha256 \(sha256))") }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "max-age=86400, immutable"],
                body: .init(byteBuffer: ByteBuffer(bytes: try WireCoding.encode(list))))
        }

        // The envelope exactly as published on `loa/v1/{site}/zones/{hamlet}/schedule`:
        // signed, versioned, expiring; a device may fetch its own hamlet's only, as the
        // broker's ACL lets it read its own hamlet's topic only.
        router.get("/zones/:hamlet/schedule") { request, context -> Response in
            let device = try device(asking: request, controller)
            let hamlet = try context.parameters.require("hamlet")
            let registered = try? controller.mediaAccess.registry.current().device(device)?.hamlet
            guard registered == hamlet else {
                throw HTTPError(
                    .forbidden,
                    message: "Thiết bị \(device) không thuộc thôn \(hamlet) (device \(device) is not registered in hamlet \(hamlet))")
            }
            guard let sealed = try await controller.store.latestSealedZoneDocument(zone: hamlet) else {
                throw HTTPError(.notFound, message: "Chưa có lịch cho thôn \(hamlet) (no schedule document for hamlet \(hamlet) yet)")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: sealed)))
        }
    }

    /// Where the bytes of a served media file are.
    private enum ServedMedia {
        case memory(ByteBuffer)
        case file(URL, size: Int)

        var size: Int {
            switch self {
            case .memory(let bytes): bytes.readableBytes
            case .file(_, let size): size
            }
        }
    }

    /// Media `sha256`'s bytes: kept in memory, or this controller's file (taken from the
    /// database's copy when another controller stored it), kept in memory from now on when
    /// it is small enough; nil when neither holds it. A file found not to be the bytes of
    /// its hash is replaced by the database's copy, or not served at all.
    /// - Throws: 503 (ask again later) for a damaged file that nothing right replaces.
    private static func servedMedia(sha256: String, _ controller: Controller) async throws -> ServedMedia? {
        if let bytes = MediaInMemory.shared.kept(sha256: sha256) { return .memory(bytes) }
        guard let file = await controller.media.localFile(sha256: sha256) else { return nil }
        for attempt in 0..<2 {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? Int else { return nil }
            switch await MediaInMemory.shared.bytes(sha256: sha256, file: file, size: size) {
            case .kept(let bytes): return .memory(bytes)
            case .notKept: return .file(file, size: size)
            case .notItsHash:
                if attempt == 0, await controller.media.replaceDamagedFile(sha256: sha256) { continue }
            }
        }
        throw HTTPError(
            .serviceUnavailable,
            message: "Tệp sha256 \(sha256) của máy điều khiển bị hỏng và chưa có bản đúng để thay; hãy tải lại sau "
                + "(the controller's file of media \(sha256) is damaged and no right copy replaces it yet; ask again later)")
    }

    /// The device whose token the request carries.
    /// - Throws: 401 without a right token, 403 for a revoked device.
    private static func device(asking request: Request, _ controller: Controller) throws -> String {
        guard let device = request.headers[.authorization].flatMap({ controller.mediaAccess.device(authorization: $0) })
        else { throw HTTPError(.unauthorized, message: "Cần mã thiết bị (a device media token is required: Authorization: Bearer DEVICE:TOKEN)") }
        guard !controller.mediaAccess.isRevoked(device) else {
            throw HTTPError(.forbidden, message: "Thiết bị \(device) đã bị thu hồi (device \(device) is revoked)")
        }
        return device
    }
}
