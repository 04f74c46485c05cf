import Foundation
import LoaMQTT

extension Controller {
    /// Publishes at QoS 1, counting a failure in `metrics` under `kind` (one of
    /// `ControllerMetrics.topicKinds`) before passing it on.
    func publish(_ kind: String, topic: String, payload: Data, retain: Bool = false) async throws {
        do {
            try await mqtt.publish(topic: topic, payload: payload, qos: .atLeastOnce, retain: retain)
        } catch {
            metrics.publishFailed(kind)
            throw error
        }
    }
}
