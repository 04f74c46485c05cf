public import Foundation
public import LoaMQTT
import LoaReceiver
import Synchronization

/// A receiver's broker, in memory: what the test publishes reaches the receiver's
/// subscriptions (retained messages on subscribing and on every reconnect, as Mosquitto
/// sends them), and what the receiver publishes is kept for the test to read.
///
/// Topic filters match as Mosquitto matches them (`MQTTTopicFilter`). What the client
/// publishes retained is kept as the broker keeps it (``retained(on:)``). For MQTT
/// itself, the end-to-end tests run a real Mosquitto.
public final class MemoryBrokerLink: BrokerLink {
    public let messages: AsyncStream<MQTTMessage>
    private let inbox: AsyncStream<MQTTMessage>.Continuation

    private struct State {
        var connection: MQTTConnectionState = .connected
        var subscriptions: Set<MQTTTopicFilter> = []
        var retained: [String: MQTTMessage] = [:]
        var published: [MQTTMessage] = []
        var watchers: [AsyncStream<MQTTConnectionState>.Continuation] = []
        /// Subscriptions to refuse, and how many more times each (as a broker's ACL refuses one).
        var refusals: [String: Int] = [:]
        /// QoS 1 publications made while disconnected, with their callers, as libmosquitto queues them.
        var held: [(message: MQTTMessage, caller: CheckedContinuation<Void, any Error>)] = []

        /// Takes what the client published: kept, and retained when asked.
        mutating func take(_ message: MQTTMessage) {
            published.append(message)
            if message.retain { retained[message.topic] = message }
        }
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
            return state.connection == .connected && state.subscriptions.contains { $0.matches(topic) }
        }
        if delivered { inbox.yield(message) }
    }

    /// The topics the receiver subscribed to.
    public var subscriptions: Set<String> { Set(shared.withLock { $0.subscriptions }.map(\.text)) }

    /// What the broker keeps retained on `topic` (the test's deliveries and the client's
    /// retained publications), if anything.
    public func retained(on topic: String) -> MQTTMessage? { shared.withLock { $0.retained[topic] } }

    /// What the receiver published, oldest first.
    public var published: [MQTTMessage] { shared.withLock { $0.published } }

    /// What the receiver published on `topic`, oldest first.
    public func published(on topic: String) -> [MQTTMessage] { published.filter { $0.topic == topic } }

    /// Breaks the connection until ``reconnect()``: nothing is delivered, a QoS 1 publication
    /// waits (as libmosquitto queues it) and a QoS 0 one fails.
    public func disconnect() { changeState(to: .disconnected("the test broke the link")) }

    /// Connects again: publications held meanwhile go out, and the retained messages of
    /// every subscription are delivered anew.
    public func reconnect() {
        changeState(to: .connected)
        let held = shared.withLock { state in
            defer { state.held = [] }
            for (message, _) in state.held { state.take(message) }
            return state.held.map(\.caller)
        }
        for caller in held { caller.resume() }
        let again = shared.withLock { state in
            state.retained.keys.sorted().filter { topic in state.subscriptions.contains { $0.matches(topic) } }
                .compactMap { state.retained[$0] }
        }
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

    /// Refuses the next `times` subscriptions to `filter` (`MQTTError.subscriptionRefused`).
    public func refuseSubscriptions(to filter: String, times: Int) {
        shared.withLock { $0.refusals[filter] = times }
    }

    public func subscribe(_ filter: String, qos: MQTTQoS) async throws {
        let subscription = MQTTTopicFilter(filter)
        let refused = shared.withLock { state in
            guard let left = state.refusals[filter], left > 0 else { return false }
            state.refusals[filter] = left - 1
            return true
        }
        if refused { throw MQTTError.subscriptionRefused(filter: filter) }
        let retained = shared.withLock { state in
            state.subscriptions.insert(subscription)
            guard state.connection == .connected else { return [MQTTMessage]() }
            return state.retained.keys.sorted().filter(subscription.matches).compactMap { state.retained[$0] }
        }
        for message in retained { inbox.yield(message) }
    }

    public func unsubscribe(_ filter: String) async throws {
        _ = shared.withLock { $0.subscriptions.remove(MQTTTopicFilter(filter)) }
    }

    public func publish(topic: String, payload: Data, qos: MQTTQoS, retain: Bool) async throws {
        let message = MQTTMessage(topic: topic, payload: payload, qos: qos, retain: retain)
        try await withCheckedThrowingContinuation { (caller: CheckedContinuation<Void, any Error>) in
            enum Outcome { case taken, held, refused }
            let outcome: Outcome = shared.withLock { state in
                if state.connection == .connected {
                    state.take(message)
                    return .taken
                }
                guard qos == .atLeastOnce, state.connection != .closed else { return .refused }
                state.held.append((message, caller))
                return .held
            }
            switch outcome {
            case .taken: caller.resume()
            case .held: break
            case .refused: caller.resume(throwing: MQTTError.library(operation: "publish to \(topic)", reason: "not connected"))
            }
        }
    }

    public func close() async {
        changeState(to: .closed)
        let (watchers, held) = shared.withLock { state in
            defer { state.held = [] }
            return (state.watchers, state.held.map(\.caller))
        }
        for caller in held { caller.resume(throwing: MQTTError.closed) }
        for watcher in watchers { watcher.finish() }
        inbox.finish()
    }
}
