import Foundation
import Hummingbird
import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// What `POST /api/v1/keys/rotation` takes: when the new key takes over.
    struct KeyRotationRequest: Decodable {
        var validFrom: Date
    }

    /// The public history of controller keys, and the admin's key rotation.
    static func addKeyRoutes(public router: Router<ControllerRequestContext>, api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        // Every key that signed checkpoints, each later one announced by the one before.
        router.get("/log/keys") { _, _ -> Response in try json(await controller.keyRotation.keyVault.history()) }

        api.post("keys/rotation", needs: .rotateKey) { request, _, user -> Response in
            let wanted = try await jsonBody(KeyRotationRequest.self, of: request, upTo: 64 * 1024)
            do {
                return try json(await controller.keyRotation.rotateKey(validFrom: wanted.validFrom, by: user.name), status: .created)
            } catch let error as KeyRotationError {
                throw HTTPError(.conflict, message: error.description)
            }
        }
    }
}
