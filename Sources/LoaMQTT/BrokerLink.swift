public import Foundation

/// A connection to the broker as the controller and the receivers use it: the messages
/// of its subscriptions in, publications out.
///
/// In a running system it is an ``MQTTClient`` (libmosquitto, reconnecting by itself).
/// Tests of the receiver's rules and of the controller's use cases use an in-memory link
/// (`MemoryBrokerLink` in LoaHarness); the MQTT path has its own tests against a real Mosquitto.
public protocol BrokerLink: Sendable {
    /// Every message delivered on the link's subscriptions, in order.
    var messages: AsyncStream<MQTTMessage> { get }
    /// Where the connection stands now.
    var state: MQTTConnectionState { get }
    /// The current state, then every change.
    func stateChanges() -> AsyncStream<MQTTConnectionState>
    /// Subscribes to `filter`, now and after every reconnect.
    func subscribe(_ filter: String, qos: MQTTQoS) async throws
    /// Publishes `payload` on `topic`.
    func publish(topic: String, payload: Data, qos: MQTTQoS, retain: Bool) async throws
    /// Disconnects cleanly; `messages` finishes.
    func close() async
}

extension MQTTClient: BrokerLink {}
