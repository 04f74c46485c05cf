public import Foundation
public import LoaMQTT
public import LoaReceiver
import Synchronization

/// A receiver's broker, in memory: what the test publishes reaches the receiver's
/// subscriptions (retained messages on subscribing and on every reconnect, as Mosquitto
/// sends them), and what the receiver publishes is kept for the test to read.
///
/// Topics match exactly (the receiver subscribes to exact topics). For MQTT itself, the
/// end-to-end tests run a real Mosquitto.
public final class MemoryBrokerLink: BrokerLink {
    public let messages: AsyncStream<MQTTMessage>
    private let inbox: AsyncStream<MQTTMessage>.Continuation

    private struct State {
        var connection: MQTTConnectionState = .connected
        var subscriptions: Set<String> = []
        var retained: [String: MQTTMessage] = [:]
        var published: [MQTTMessage] = []
        var watchers: [AsyncStream<MQTTConnectionState>.Continuation] = []
    }

    private let shared = Mutex(State())

    /// A connected link with nothing retained.
    public init() {
        (messages, inbox) = AsyncStream.makeStream(of: MQTTMessage.self)
    }

    // MARK: The test's side

    /// Publishes to the receiver: delivered at once when connected and subscribed, and
    /// kept for later subscriptions and reconnects when `retain` is set.
    public func deliver(_ payload: Data, on topic: String, retain: Bool = true) {
        let message = MQTTMessage(topic: topic, payload: payload, qos: .atLeastOnce, retain: retain)
        let delivered = shared.withLock { state in
            if retain { state.retained[topic] = message }
            return state.connection == .connected && state.subscriptions.contains(topic)
        }
        if delivered { inbox.yield(message) }
    }

    /// The topics the receiver subscribed to.
    public var subscriptions: Set<String> { shared.withLock { $0.subscriptions } }

    /// What the receiver published, oldest first.
    public var published: [MQTTMessage] { shared.withLock { $0.published } }

    /// What the receiver published on `topic`, oldest first.
    public func published(on topic: String) -> [MQTTMessage] { published.filter { $0.topic == topic } }

    /// Breaks the connection: publishing fails and nothing is delivered until ``reconnect()``.
    public func disconnect() { changeState(to: .disconnected("the test broke the link")) }

    /// Connects again; the retained messages of every subscription are delivered anew.
    public func reconnect() {
        changeState(to: .connected)
        let again = shared.withLock { state in state.subscriptions.sorted().compactMap { state.retained[$0] } }
        for message in again { inbox.yield(message) }
    }

    private func changeState(to connection: MQTTConnectionState) {
        let watchers = shared.withLock { state in
            state.connection = connection
            return state.watchers
        }
        for watcher in watchers { watcher.yield(connection) }
    }

    // MARK: The receiver's side

    public var state: MQTTConnectionState { shared.withLock { $0.connection } }

    public func stateChanges() -> AsyncStream<MQTTConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTConnectionState.self)
        shared.withLock { state in
            state.watchers.append(continuation)
            continuation.yield(state.connection)
        }
        return stream
    }

    public func subscribe(_ filter: String, qos: MQTTQoS) async throws {
        let retained = shared.withLock { state in
            state.subscriptions.insert(filter)
            return state.connection == .connected ? state.retained[filter] : nil
        }
        if let retained { inbox.yield(retained) }
    }

    public func publish(topic: String, payload: Data, qos: MQTTQoS, retain: Bool) async throws {
        try shared.withLock { state in
            guard state.connection == .connected else { throw MQTTError.library(operation: "publish", reason: "the client is not connected") }
            state.published.append(MQTTMessage(topic: topic, payload: payload, qos: qos, retain: retain))
        }
    }

    public func close() async {
        changeState(to: .closed)
        let watchers = shared.withLock { $0.watchers }
        for watcher in watchers { watcher.finish() }
        inbox.finish()
    }
}
