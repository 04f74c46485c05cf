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
            let file = try await fileBody(of: request, upTo: maximumUpload)
            let reference = try await refusals { try await controller.media.addAudio(file) }
            return try json(reference, status: .created)
        }

        api.post("notice-attachments", needs: .uploadMedia) { request, _, _ -> Response in
            let file = try await fileBody(of: request, upTo: NoticeAttachmentType.maximumBytes + 1)
            let reference = try await refusals { try await controller.media.addNoticeAttachment(file) }
            return try json(reference, status: .created)
        }
    }
}
