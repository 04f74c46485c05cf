import Foundation
import Hummingbird
import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// A leader speaking live (docs/relay.md, "Live"): `POST live` starts a session (a
    /// programme submitted and approved by the leader), `PUT live/:id/audio` takes its
    /// MP3 until the upload ends, `DELETE live/:id` ends it.
    static func addLiveRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.post("live", needs: .speakLive) { request, _, user -> Response in
            let desk = try liveDesk(controller)
            let asked = try await jsonBody(LiveDesk.Request.self, of: request, upTo: 16 * 1024)
            let session = try await refusals { try await desk.start(asked, by: user.name) }
            return try json(session, status: .created)
        }

        api.put("live/:id/audio", needs: .speakLive) { request, context, user -> Response in
            let desk = try liveDesk(controller)
            let id = try context.parameters.require("id")
            let audio = request.body.map { Data($0.readableBytesView) }
            do {
                let sent = try await desk.feed(id, audio: audio, by: user.name)
                struct Fed: Encodable { var programme: String; var bytes: Int }
                return try json(Fed(programme: id, bytes: sent))
            } catch let error as LiveSessionError {
                switch error {
                case .noSuchSession: throw HTTPError(.notFound, message: error.description)
                case .notTheSpeaker: throw HTTPError(.forbidden, message: error.description)
                case .notApproved: throw HTTPError(.conflict, message: error.description)
                case .relayUnavailable: throw HTTPError(.badGateway, message: error.description)
                }
            }
        }

        api.delete("live/:id") { request, context -> Response in
            let user = try APIPermission.speakLive.authorize(context.user)
            let desk = try liveDesk(controller)
            try await refusals { try await desk.end(try context.parameters.require("id"), by: user.name) }
            return Response(status: .noContent)
        }
    }

    private static func liveDesk(_ controller: Controller) throws -> LiveDesk {
        guard let desk = controller.live else {
            throw HTTPError(
                .serviceUnavailable,
                message: "Máy chủ chưa cấu hình tiếp sóng nên không phát trực tiếp được (no relay set up: live sessions need it, docs/relay.md)")
        }
        return desk
    }
}
