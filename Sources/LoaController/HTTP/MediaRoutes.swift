import Foundation
import Hummingbird
import LoaStore

extension ControllerRouter {
    /// Largest upload accepted: 100 MB is over an hour of MP3.
    static let maximumUpload = 100 * 1024 * 1024

    /// Uploads under `/api/v1`: audio (`POST media`) and a notice's image or PDF
    /// (`POST notice-attachments`); receivers fetch both at `/media/{sha256}`.
    static func addMediaRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.post("media", needs: .uploadMedia) { request, _, _ -> Response in
            let body = try await request.body.collect(upTo: maximumUpload)
            let reference = try await refusals { try await controller.media.addAudio(Data(body.readableBytesView)) }
            return try json(reference, status: .created)
        }

        api.post("notice-attachments", needs: .uploadMedia) { request, _, _ -> Response in
            let body = try await request.body.collect(upTo: NoticeAttachmentType.maximumBytes + 1)
            let reference = try await refusals { try await controller.media.addNoticeAttachment(Data(body.readableBytesView)) }
            return try json(reference, status: .created)
        }
    }
}
