import Foundation
import Hummingbird

extension ControllerRouter {
    /// `GET /api/v1/deliveries/:item`: where a broadcast stands on every receiver
    /// (`BroadcastDelivery`). `:item` is a broadcast or one hamlet's item of it,
    /// percent-encoded (`tb-1@2026-11-24%2F0930@thon-a`); 404 when nothing is known of it.
    static func addDeliveryRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("deliveries/:item", needs: .readDelivery) { _, context, _ -> Response in
            let raw = try context.parameters.require("item")
            let key = raw.removingPercentEncoding ?? raw
            let delivery = try await controller.deliveries.delivery(of: key)
            guard !delivery.hamlets.isEmpty else {
                throw HTTPError(
                    .notFound,
                    message: "Chưa có gì về '\(key)' (nothing known of '\(key)': no announcement or planned airing with that id, no event of its items)")
            }
            return try json(delivery)
        }
    }
}
