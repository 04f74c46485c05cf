#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Dispatch
import Synchronization

/// An MQTT 3.1.1 client over libmosquitto, shared by the controller, the
/// receivers and the fleet simulator.
///
/// It connects in the background and reconnects with backoff for as long as
/// it lives, so a receiver starts and works while its broker is away.
/// Subscriptions are remembered and sent again on every connect; QoS 1
/// publishes made while offline are queued by libmosquitto and sent after the
/// reconnect. Call `close()` when done: it sends DISCONNECT and frees the handle.
public final class MQTTClient: Sendable {
    /// The options the client was made with.
    public let options: MQTTClientOptions
    /// Every message that arrives on a subscribed topic, in order. Iterate it once.
    public let messages: AsyncStream<MQTTMessage>
    private let loop: MQTTNetworkLoop
    private let core: LoopBound<ClientCore>
    private let events: ClientEvents

    /// Makes the client and starts connecting.
    /// - Parameters:
    ///   - options: broker address, identity, will and TLS.
    ///   - loop: the network loop that drives the socket; the shared one unless a test wants its own.
    public init(options: MQTTClientOptions, loop: MQTTNetworkLoop = .shared) throws {
        self.options = options
        self.loop = loop
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTMessage.self, bufferingPolicy: .unbounded)
        messages = stream
        events = ClientEvents(messages: continuation)
        let core = ClientCore(options: options, loop: loop, sink: events)
        self.core = LoopBound(core, on: loop.thread)
        let started = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.execute { [core = self.core] in
            do { try core.value.start() } catch { started.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = started.withLock({ $0 }) { throw error }
    }

    /// The latest connection state.
    public var state: MQTTConnectionState { events.lastState }

    /// Each change of connection state, starting with the current one.
    public func stateChanges() -> AsyncStream<MQTTConnectionState> { events.watchStates() }

    /// Waits until the broker has accepted the connection.
    /// - Throws: `MQTTError.refused` as soon as the broker refuses the credentials;
    ///   `MQTTError.unreachable` when no CONNACK came within `timeout`. The client
    ///   keeps trying in the background either way.
    public func waitUntilConnected(timeout: Duration = .seconds(10)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await state in stateChanges() {
                    switch state {
                    case .connected: return
                    case .refused(let reason):
                        throw MQTTError.refused(host: options.host, port: options.port, reason: reason)
                    case .closed: throw MQTTError.closed
                    case .connecting, .disconnected: continue
                    }
                }
                try Task.checkCancellation()
            }
            group.addTask { [self] in
                try await Task.sleep(for: timeout)
                throw MQTTError.unreachable(
                    host: options.host, port: options.port, lastError: events.lastFailure ?? "no answer")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Publishes a message. At QoS 1 it returns once the broker acknowledged it
    /// (after a reconnect if the client was offline); at QoS 0 once it was handed to the socket.
    public func publish(_ message: MQTTMessage) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            loop.execute { [core] in core.value.publish(message, waiter: waiter) }
        }
    }

    /// Publishes `payload` on `topic`.
    public func publish(topic: String, payload: Data, qos: MQTTQoS = .atLeastOnce, retain: Bool = false) async throws {
        try await publish(MQTTMessage(topic: topic, payload: payload, qos: qos, retain: retain))
    }

    /// Subscribes to a topic filter, now and after every reconnect. When connected
    /// it returns after the broker's SUBACK; offline it returns at once.
    /// - Throws: `MQTTError.subscriptionRefused` when the broker's ACL denies it.
    public func subscribe(_ filter: String, qos: MQTTQoS = .atLeastOnce) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            loop.execute { [core] in core.value.subscribe(filter, qos: qos, waiter: waiter) }
        }
    }

    /// Gives up a subscription made with ``subscribe(_:qos:)``: not sent again on
    /// reconnects. When connected it returns after the broker's UNSUBACK; offline it
    /// returns at once (sent on the next connect, for a persistent session that kept it).
    public func unsubscribe(_ filter: String) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            loop.execute { [core] in core.value.unsubscribe(filter, waiter: waiter) }
        }
    }

    /// Disconnects cleanly (the broker does not publish the will) and frees the handle.
    /// Pending operations fail with `MQTTError.closed`; `messages` finishes.
    public func close() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute { [core] in
                core.value.close()
                done.resume()
            }
        }
    }
}

/// What a client reports to Swift code: messages and connection states. Sendable; any thread.
final class ClientEvents: Sendable {
    private let messages: AsyncStream<MQTTMessage>.Continuation
    private struct Watchers {
        var last: MQTTConnectionState = .connecting
        var lastFailure: String?
        var next = 0
        var streams: [Int: AsyncStream<MQTTConnectionState>.Continuation] = [:]
    }
    private let watchers = Mutex(Watchers())

    init(messages: AsyncStream<MQTTMessage>.Continuation) {
        self.messages = messages
    }

    var lastState: MQTTConnectionState { watchers.withLock { $0.last } }
    /// Why the latest attempt failed, if one did.
    var lastFailure: String? { watchers.withLock { $0.lastFailure } }

    func received(_ message: MQTTMessage) { messages.yield(message) }

    func stateChanged(_ state: MQTTConnectionState) {
        let streams = watchers.withLock { watchers in
            watchers.last = state
            switch state {
            case .disconnected(let reason), .refused(let reason): watchers.lastFailure = reason
            default: break
            }
            return Array(watchers.streams.values)
        }
        for stream in streams { stream.yield(state) }
    }

    func watchStates() -> AsyncStream<MQTTConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MQTTConnectionState.self, bufferingPolicy: .bufferingNewest(16))
        let id = watchers.withLock { watchers in
            let id = watchers.next
            watchers.next += 1
            watchers.streams[id] = continuation
            continuation.yield(watchers.last)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { _ = $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    func finish() {
        messages.finish()
        let streams = watchers.withLock { watchers in
            defer { watchers.streams.removeAll() }
            return Array(watchers.streams.values)
        }
        for stream in streams { stream.finish() }
    }
}
