#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

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
    /// Gives up the subscription to `filter`: nothing more arrives on it, after reconnects too.
    func unsubscribe(_ filter: String) async throws
    /// Publishes `payload` on `topic`.
    func publish(topic: String, payload: Data, qos: MQTTQoS, retain: Bool) async throws
    /// Disconnects cleanly; `messages` finishes.
    func close() async
}

extension MQTTClient: BrokerLink {}

extension BrokerLink {
    /// Publishes, waiting at most `limit` for the broker to take it (a QoS 1 message waits
    /// for its PUBACK, which never comes while the broker is away); the publication goes
    /// on in the background until then or until the link is closed.
    /// - Returns: true when the broker took it in time.
    public func publish(
        topic: String, payload: Data, qos: MQTTQoS, retain: Bool, waitingAtMost limit: Duration
    ) async -> Bool {
        await Task { try await publish(topic: topic, payload: payload, qos: qos, retain: retain) }.finishes(within: limit)
    }
}

extension Task where Success == Void, Failure == any Error {
    /// True when the task succeeded within `limit`; it runs on either way. For work that
    /// waits on a broker which may be away (publications, a hamlet's documents).
    public func finishes(within limit: Duration) async -> Bool {
        let (outcomes, outcome) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingOldest(1))
        Task<Void, Never> { outcome.yield((try? await self.value) != nil) }
        let timer = Task<Void, Never> {
            try? await Task<Never, Never>.sleep(for: limit)
            outcome.yield(false)
        }
        defer { timer.cancel() }
        for await first in outcomes { return first }
        return false
    }
}
