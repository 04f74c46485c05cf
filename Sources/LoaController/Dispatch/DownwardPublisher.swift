import Foundation
import LoaMQTT

/// Publishes the controller's downward messages (schedule documents, receipts, key
/// announcements, checkpoints) on the broker at QoS 1, counting each failure by
/// kind for `/metrics`. Tests hand it an in-memory `BrokerLink`.
struct DownwardPublisher: Sendable {
    let link: any BrokerLink
    let metrics: ControllerMetrics

    /// Publishes `payload` on `topic`; `kind` names the message in the failure count.
    func publish(_ kind: String, topic: String, payload: Data, retain: Bool = false) async throws {
        do {
            try await link.publish(topic: topic, payload: payload, qos: .atLeastOnce, retain: retain)
        } catch {
            metrics.publishFailed(kind)
            throw error
        }
    }
}
