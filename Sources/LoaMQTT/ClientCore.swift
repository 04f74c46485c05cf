import CMosquitto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// The libmosquitto handle of one client and everything that changes with it.
///
/// Confined to its loop's thread: created, used and destroyed only inside jobs
/// of `MQTTNetworkLoop` or inside libmosquitto callbacks (which that thread
/// invokes). `MQTTClient` holds it through `LoopBound`.
final class ClientCore {
    let options: MQTTClientOptions
    private unowned let loop: MQTTNetworkLoop
    private var handle: OpaquePointer?
    private let sink: ClientEvents

    private(set) var reconnectDue: ContinuousClock.Instant?
    /// The socket's registration in the loop's epoll set; the loop's to read and write.
    var watch = SocketWatch()
    private var backoff: Duration
    private var everAttempted = false
    private var connected = false
    private var closed = false
    /// Set from a refused CONNACK until a later CONNACK accepts.
    private var refusal: String?
    /// Subscriptions to (re)send on every CONNACK; a persistent session keeps them too.
    private var subscriptions: [(filter: String, qos: MQTTQoS)] = []
    private var publishWaiters: [Int32: CheckedContinuation<Void, any Error>] = [:]
    private var subscribeWaiters: [Int32: (filter: String, continuation: CheckedContinuation<Void, any Error>)] = [:]
    /// Filters given up whose UNSUBACK has not come: sent again on the next CONNACK, where
    /// a persistent session would still hold them.
    private var unsubscribing: Set<String> = []
    private var unsubscribeWaiters: [Int32: (filter: String, continuation: CheckedContinuation<Void, any Error>)] = [:]

    init(options: MQTTClientOptions, loop: MQTTNetworkLoop, sink: ClientEvents) {
        self.options = options
        self.loop = loop
        self.sink = sink
        self.backoff = options.reconnectBackoff.minimum
    }

    var socket: Int32 {
        guard let handle else { return -1 }
        return mosquitto_socket(handle)
    }

    var wantsWrite: Bool {
        guard let handle else { return false }
        return mosquitto_want_write(handle)
    }

    // MARK: Life cycle

    /// Creates the handle, sets the options that must precede CONNECT, and starts connecting.
    func start() throws {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        guard let handle = mosquitto_new(options.clientID, options.cleanSession, userdata) else {
            throw MQTTError.library(operation: "mosquitto_new", reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        try check(mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311), "set protocol 3.1.1")
        if let credentials = options.credentials {
            try check(mosquitto_username_pw_set(handle, credentials.username, credentials.password), "set credentials")
        }
        if let will = options.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(handle, will.topic, Int32(bytes.count), bytes.baseAddress, will.qos.rawValue, will.retain)
            }
            try check(rc, "set last will")
        }
        if let tls = options.tls {
            try check(mosquitto_tls_set(handle, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil), "set TLS files")
        }
        mosquitto_connect_callback_set(handle) { _, userdata, rc in
            ClientCore.from(userdata).didConnect(code: rc)
        }
        mosquitto_disconnect_callback_set(handle) { _, userdata, rc in
            ClientCore.from(userdata).connectionLost(reason: rc == 0 ? "disconnected" : MosquittoLibrary.describe(rc))
        }
        mosquitto_publish_callback_set(handle) { _, userdata, mid in
            ClientCore.from(userdata).didPublish(mid: mid)
        }
        mosquitto_subscribe_callback_set(handle) { _, userdata, mid, count, granted in
            let refused = (0..<Int(count)).contains { granted?[$0] == 0x80 }
            ClientCore.from(userdata).didSubscribe(mid: mid, refused: refused)
        }
        mosquitto_unsubscribe_callback_set(handle) { _, userdata, mid in
            ClientCore.from(userdata).didUnsubscribe(mid: mid)
        }
        mosquitto_message_callback_set(handle) { _, userdata, message in
            guard let message = message?.pointee else { return }
            let payload = message.payloadlen > 0 && message.payload != nil
                ? Data(bytes: message.payload, count: Int(message.payloadlen)) : Data()
            ClientCore.from(userdata).sink.received(
                MQTTMessage(
                    topic: String(cString: message.topic), payload: payload,
                    qos: MQTTQoS(rawValue: message.qos) ?? .atLeastOnce, retain: message.retain))
        }
        loop.register(self)
        attemptConnect()
        loop.watch(self, renewed: true)
    }

    /// Sends DISCONNECT (so the broker drops the will), destroys the handle, fails what waits.
    func close() {
        guard !closed else { return }
        closed = true
        reconnectDue = nil
        if let handle {
            if connected { mosquitto_disconnect(handle) }
            mosquitto_destroy(handle)
            self.handle = nil
        }
        connected = false
        loop.unregister(self)
        failWaiters(MQTTError.closed)
        sink.stateChanged(.closed)
        sink.finish()
    }

    private static func from(_ userdata: UnsafeMutableRawPointer?) -> ClientCore {
        Unmanaged<ClientCore>.fromOpaque(userdata!).takeUnretainedValue()
    }

    private func check(_ rc: Int32, _ operation: String) throws {
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.library(operation: operation, reason: MosquittoLibrary.describe(rc))
        }
    }

    // MARK: Connecting

    private func attemptConnect() {
        guard let handle, !closed else { return }
        reconnectDue = nil
        let rc = everAttempted
            ? mosquitto_reconnect_async(handle)
            : mosquitto_connect_async(handle, options.host, Int32(options.port), Int32(options.keepAlive))
        everAttempted = true
        if rc != MOSQ_ERR_SUCCESS.rawValue {
            connectionLost(reason: MosquittoLibrary.describe(rc))
        }
    }

    private func didConnect(code: Int32) {
        guard code == 0 else {
            let reason = String(cString: mosquitto_connack_string(code))
            connected = false
            refusal = reason
            sink.stateChanged(.refused(reason))
            // A refusal will not heal by hammering the broker: wait the longest delay.
            backoff = options.reconnectBackoff.maximum
            return
        }
        connected = true
        refusal = nil
        backoff = options.reconnectBackoff.minimum
        for subscription in subscriptions {
            sendSubscribe(subscription.filter, subscription.qos, waiter: nil)
        }
        for filter in unsubscribing.sorted() {
            sendUnsubscribe(filter, waiter: nil)
        }
        sink.stateChanged(.connected)
    }

    /// The connection dropped or an attempt failed: schedule the next attempt.
    func connectionLost(reason: String) {
        guard !closed else { return }
        connected = false
        if reconnectDue == nil {
            reconnectDue = ContinuousClock.now + backoff
            backoff = min(backoff * 2, options.reconnectBackoff.maximum)
        }
        // A CONNACK refusal is already reported; do not overwrite it with "lost".
        if refusal == nil {
            sink.stateChanged(.disconnected(reason))
        }
        for (mid, waiter) in subscribeWaiters {
            waiter.continuation.resume()  // re-sent on the next CONNACK
            subscribeWaiters[mid] = nil
        }
        for (mid, waiter) in unsubscribeWaiters {
            waiter.continuation.resume()  // re-sent on the next CONNACK
            unsubscribeWaiters[mid] = nil
        }
    }

    // MARK: Driving the socket

    func socketReady(readable: Bool, writable: Bool) {
        guard let handle else { return }
        if readable {
            let rc = mosquitto_loop_read(handle, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue { connectionLost(reason: MosquittoLibrary.describe(rc)); return }
        }
        if writable, self.handle != nil {
            let rc = mosquitto_loop_write(handle, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue { connectionLost(reason: MosquittoLibrary.describe(rc)) }
        }
    }

    func tick(now: ContinuousClock.Instant, runMisc: Bool) {
        guard let handle else { return }
        if let due = reconnectDue, due <= now {
            attemptConnect()
        } else if runMisc, mosquitto_socket(handle) >= 0 {
            let rc = mosquitto_loop_misc(handle)
            if rc != MOSQ_ERR_SUCCESS.rawValue && rc != MOSQ_ERR_NO_CONN.rawValue {
                connectionLost(reason: MosquittoLibrary.describe(rc))
            }
        }
    }

    // MARK: Publishing and subscribing

    func publish(_ message: MQTTMessage, waiter: CheckedContinuation<Void, any Error>) {
        guard let handle, !closed else { return waiter.resume(throwing: MQTTError.closed) }
        var mid: Int32 = 0
        let rc = message.payload.withUnsafeBytes { bytes in
            mosquitto_publish(
                handle, &mid, message.topic, Int32(bytes.count), bytes.baseAddress, message.qos.rawValue, message.retain)
        }
        switch (rc, message.qos) {
        case (MOSQ_ERR_SUCCESS.rawValue, .atMostOnce):
            waiter.resume()
        case (MOSQ_ERR_SUCCESS.rawValue, .atLeastOnce), (MOSQ_ERR_NO_CONN.rawValue, .atLeastOnce):
            // While offline libmosquitto keeps a QoS 1 message queued and sends it after
            // reconnecting: publishing it again would send a duplicate. Wait for PUBACK.
            publishWaiters[mid] = waiter
        default:
            waiter.resume(throwing: MQTTError.library(operation: "publish to \(message.topic)", reason: MosquittoLibrary.describe(rc)))
        }
        // What the socket did not take at once waits for it to become writable.
        loop.watch(self)
    }

    private func didPublish(mid: Int32) {
        publishWaiters.removeValue(forKey: mid)?.resume()
    }

    func subscribe(_ filter: String, qos: MQTTQoS, waiter: CheckedContinuation<Void, any Error>) {
        guard !closed else { return waiter.resume(throwing: MQTTError.closed) }
        unsubscribing.remove(filter)
        if !subscriptions.contains(where: { $0.filter == filter }) {
            subscriptions.append((filter, qos))
        }
        if connected {
            sendSubscribe(filter, qos, waiter: waiter)
            loop.watch(self)
        } else {
            waiter.resume()  // sent on CONNACK
        }
    }

    private func sendSubscribe(_ filter: String, _ qos: MQTTQoS, waiter: CheckedContinuation<Void, any Error>?) {
        guard let handle else { waiter?.resume(throwing: MQTTError.closed); return }
        var mid: Int32 = 0
        let rc = mosquitto_subscribe(handle, &mid, filter, qos.rawValue)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            waiter?.resume(throwing: MQTTError.library(operation: "subscribe to \(filter)", reason: MosquittoLibrary.describe(rc)))
            return
        }
        if let waiter { subscribeWaiters[mid] = (filter, waiter) }
    }

    private func didSubscribe(mid: Int32, refused: Bool) {
        guard let waiter = subscribeWaiters.removeValue(forKey: mid) else { return }
        if refused {
            subscriptions.removeAll { $0.filter == waiter.filter }
            waiter.continuation.resume(throwing: MQTTError.subscriptionRefused(filter: waiter.filter))
        } else {
            waiter.continuation.resume()
        }
    }

    func unsubscribe(_ filter: String, waiter: CheckedContinuation<Void, any Error>) {
        guard !closed else { return waiter.resume(throwing: MQTTError.closed) }
        subscriptions.removeAll { $0.filter == filter }
        unsubscribing.insert(filter)
        if connected {
            sendUnsubscribe(filter, waiter: waiter)
            loop.watch(self)
        } else {
            waiter.resume()  // sent on CONNACK
        }
    }

    private func sendUnsubscribe(_ filter: String, waiter: CheckedContinuation<Void, any Error>?) {
        guard let handle else { waiter?.resume(throwing: MQTTError.closed); return }
        var mid: Int32 = 0
        let rc = mosquitto_unsubscribe(handle, &mid, filter)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            waiter?.resume(throwing: MQTTError.library(operation: "unsubscribe from \(filter)", reason: MosquittoLibrary.describe(rc)))
            return
        }
        if let waiter { unsubscribeWaiters[mid] = (filter, waiter) }
    }

    private func didUnsubscribe(mid: Int32) {
        guard let waiter = unsubscribeWaiters.removeValue(forKey: mid) else { return }
        unsubscribing.remove(waiter.filter)
        waiter.continuation.resume()
    }

    private func failWaiters(_ error: any Error) {
        for waiter in publishWaiters.values { waiter.resume(throwing: error) }
        for waiter in subscribeWaiters.values { waiter.continuation.resume(throwing: error) }
        for waiter in unsubscribeWaiters.values { waiter.continuation.resume(throwing: error) }
        publishWaiters.removeAll()
        subscribeWaiters.removeAll()
        unsubscribeWaiters.removeAll()
    }
}
