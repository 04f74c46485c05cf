import Foundation
import HTTPTypes
import Hummingbird
import LoaProtocol
import LoaProvisioning

extension ControllerRouter {
    /// Icecast's listener check (`<authentication type="url">`, `listener_add`): a receiver
    /// opens a relay mount with HTTP basic credentials, its device id and media token, and
    /// Icecast asks here whether to let it in. Yes (`icecast-auth-user: 1`) only for a
    /// device whose token is right, not revoked, whose registered hamlet airs the mount's
    /// relay window now (a device missing from the registry, as on a development broker
    /// without accounts, any hamlet's, as for its events). Never an open mount.
    static func addRelayRoutes(to router: Router<ControllerRequestContext>, controller: Controller) {
        router.post("/relay/listeners") { request, _ -> Response in
            let form = FormFields(String(buffer: try await request.body.collect(upTo: 8192)))
            guard let station = controller.relay, form["action"] == "listener_add",
                let user = form["user"], let password = form["pass"], let mount = form["mount"],
                let device = controller.mediaAccess.device(authorization: "Bearer \(user):\(password)"),
                !controller.mediaAccess.isRevoked(device),
                await station.admits(
                    device: device, hamlet: try? controller.mediaAccess.registry.current().device(device)?.hamlet, mount: mount,
                    now: controller.clock())
            else {
                return Response(status: .ok, headers: [HTTPField.Name("icecast-auth-message")!: "not admitted"])
            }
            return Response(status: .ok, headers: [HTTPField.Name("icecast-auth-user")!: "1"])
        }
    }
}
