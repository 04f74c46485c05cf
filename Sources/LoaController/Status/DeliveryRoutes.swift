import Foundation
import Hummingbird

extension ControllerRouter {
    /// `GET /api/v1/deliveries/:item`: where a broadcast stands on every receiver
    /// (`BroadcastDelivery`). `:item` is a broadcast or one hamlet's item of it,
    /// percent-encoded (`tb-1@2026-11-24%2F0930@thon-a`).
    static func addDeliveryRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("deliveries/:item", needs: .readEvents) { _, context, _ -> Response in
            let raw = try context.parameters.require("item")
            let key = raw.removingPercentEncoding ?? raw
            return try json(controller.delivery(of: key))
        }
    }
}
