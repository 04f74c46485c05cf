import Foundation
import LoaMQTT
import LoaHarness
import Testing

@Suite("MQTT client against a real Mosquitto")
struct MQTTClientTests {
    @Test("a QoS 1 message reaches a subscriber, and retained messages reach late subscribers")
    func publishSubscribeAndRetain() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop(); broker.directory.remove() }
        let subscriber = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "sub"))
        let publisher = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "pub"))
        try await subscriber.waitUntilConnected()
        try await publisher.waitUntilConnected()
        try await subscriber.subscribe("loa/v1/test/#")
        try await publisher.publish(topic: "loa/v1/test/a", payload: Data("xin chào".utf8))
        try await publisher.publish(topic: "loa/v1/test/kept", payload: Data("retained".utf8), retain: true)

        var iterator = subscriber.messages.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.topic == "loa/v1/test/a")
        #expect(first.map { String(decoding: $0.payload, as: UTF8.self) } == "xin chào")

        let late = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "late"))
        try await late.subscribe("loa/v1/test/kept")
        var lateIterator = late.messages.makeAsyncIterator()
        let kept = await lateIterator.next()
        #expect(kept?.retain == true)
        #expect(kept.map { String(decoding: $0.payload, as: UTF8.self) } == "retained")
        await subscriber.close()
        await publisher.close()
        await late.close()
    }

    @Test("an unreachable broker is reported with its address, and the client connects once it appears")
    func unreachableThenReconnects() async throws {
        let port = try MosquittoBroker.freePort()
        let client = try MQTTClient(options: .init(
            host: "127.0.0.1", port: port, clientID: "early",
            reconnectBackoff: (.milliseconds(50), .milliseconds(200))))
        await #expect(throws: MQTTError.self) { try await client.waitUntilConnected(timeout: .milliseconds(300)) }
        do {
            try await client.waitUntilConnected(timeout: .milliseconds(300))
        } catch let error as MQTTError {
            #expect(error.description.contains("127.0.0.1:\(port)"))
            #expect(error.description.contains("unreachable"))
        }
        let broker = try MosquittoBroker(port: port)
        defer { broker.stop(); broker.directory.remove() }
        try await client.waitUntilConnected(timeout: .seconds(5))
        await client.close()
    }

    @Test("refused credentials fail fast with a clear reason")
    func refusedCredentials() async throws {
        let broker = try MosquittoBroker(configuration: "allow_anonymous false")
        defer { broker.stop(); broker.directory.remove() }
        let client = try MQTTClient(options: .init(
            host: "127.0.0.1", port: broker.port, clientID: "intruder",
            credentials: .init(username: "admin", password: "admin")))
        do {
            try await client.waitUntilConnected(timeout: .seconds(5))
            Issue.record("the broker accepted an unknown user")
        } catch let error as MQTTError {
            guard case .refused = error else { Issue.record("expected refused, got \(error)"); return }
            #expect(error.description.contains("refused"))
        }
        await client.close()
    }

    @Test("QoS 1 messages published while the broker is down are delivered after it returns, once")
    func offlineQueue() async throws {
        // A folder of the test's own: the broker restarted below keeps the first one's persistence.
        let directory = try TemporaryDirectory(prefix: "loa-mosquitto")
        defer { directory.remove() }
        let broker = try MosquittoBroker(directory: directory)
        let port = broker.port
        let subscriber = try MQTTClient(options: .init(host: "127.0.0.1", port: port, clientID: "sub-persist"))
        let publisher = try MQTTClient(options: .init(
            host: "127.0.0.1", port: port, clientID: "pub-persist",
            reconnectBackoff: (.milliseconds(50), .milliseconds(200))))
        try await subscriber.subscribe("loa/v1/q", qos: .atLeastOnce)
        try await subscriber.waitUntilConnected()
        try await publisher.waitUntilConnected()
        try await subscriber.subscribe("loa/v1/q", qos: .atLeastOnce)

        broker.stop()
        try await Task.sleep(for: .milliseconds(200))
        let sent = Task { try await publisher.publish(topic: "loa/v1/q", payload: Data("queued".utf8)) }
        try await Task.sleep(for: .milliseconds(200))
        let restarted = try MosquittoBroker(port: port, directory: directory)
        defer { restarted.stop() }
        try await sent.value

        var iterator = subscriber.messages.makeAsyncIterator()
        let message = await iterator.next()
        #expect(message.map { String(decoding: $0.payload, as: UTF8.self) } == "queued")
        await subscriber.close()
        await publisher.close()
    }

    @Test("a subscription given up brings nothing more, and one given up while the broker is away is given up in its kept session too")
    func unsubscribe() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-mosquitto")
        defer { directory.remove() }
        let broker = try MosquittoBroker(directory: directory)
        let port = broker.port
        let subscriber = try MQTTClient(options: .init(
            host: "127.0.0.1", port: port, clientID: "sub-unsubscribe",
            reconnectBackoff: (.milliseconds(50), .milliseconds(200))))
        let publisher = try MQTTClient(options: .init(
            host: "127.0.0.1", port: port, clientID: "pub-unsubscribe",
            reconnectBackoff: (.milliseconds(50), .milliseconds(200))))
        try await subscriber.waitUntilConnected()
        try await publisher.waitUntilConnected()
        try await subscriber.subscribe("loa/v1/u/a")
        try await subscriber.subscribe("loa/v1/u/b")
        var iterator = subscriber.messages.makeAsyncIterator()

        try await subscriber.unsubscribe("loa/v1/u/a")
        try await publisher.publish(topic: "loa/v1/u/a", payload: Data("một".utf8))
        try await publisher.publish(topic: "loa/v1/u/b", payload: Data("hai".utf8))
        #expect(await iterator.next()?.topic == "loa/v1/u/b")

        // Subscribed again, then given up while the broker is away: its persistence keeps
        // the session's subscription, so the client gives it up again on reconnecting.
        try await subscriber.subscribe("loa/v1/u/a")
        broker.stop()
        #expect(try await eventually(within: .seconds(5)) { subscriber.state != .connected && publisher.state != .connected })
        try await subscriber.unsubscribe("loa/v1/u/a")
        let restarted = try MosquittoBroker(port: port, directory: directory)
        defer { restarted.stop() }
        try await subscriber.waitUntilConnected()
        try await publisher.waitUntilConnected()
        // A SUBACK on the same connection: the broker has handled the UNSUBSCRIBE sent before it.
        try await subscriber.subscribe("loa/v1/u/c")
        try await publisher.publish(topic: "loa/v1/u/a", payload: Data("ba".utf8))
        try await publisher.publish(topic: "loa/v1/u/b", payload: Data("bốn".utf8))
        let next = await iterator.next()
        #expect(next?.topic == "loa/v1/u/b")
        #expect(next.map { String(decoding: $0.payload, as: UTF8.self) } == "bốn")
        await subscriber.close()
        await publisher.close()
    }

    @Test("a payload far larger than a socket buffer arrives whole (the loop waits for the socket to take the rest)")
    func largePayload() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop(); broker.directory.remove() }
        let loop = MQTTNetworkLoop(name: "test-large")
        let subscriber = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "big-sub"), loop: loop)
        let publisher = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "big-pub"), loop: loop)
        try await subscriber.waitUntilConnected()
        try await publisher.waitUntilConnected()
        try await subscriber.subscribe("loa/v1/big")
        let payload = Data((0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 13) })
        try await publisher.publish(topic: "loa/v1/big", payload: payload)

        var iterator = subscriber.messages.makeAsyncIterator()
        let message = await iterator.next()
        #expect(message?.payload.count == payload.count)
        #expect(message?.payload == payload)
        await subscriber.close()
        await publisher.close()
    }

    @Test("200 clients on one loop each get their own message, and the loop counts what it did")
    func manyClientsOnOneLoop() async throws {
        let broker = try MosquittoBroker(configuration: "allow_anonymous true\nmax_connections -1")
        defer { broker.stop(); broker.directory.remove() }
        let loop = MQTTNetworkLoop(name: "test-many")
        let count = 200
        var clients: [MQTTClient] = []
        for index in 0..<count {
            clients.append(try MQTTClient(
                options: .init(host: "127.0.0.1", port: broker.port, clientID: "many-\(index)"), loop: loop))
        }
        for (index, client) in clients.enumerated() {
            try await client.waitUntilConnected()
            try await client.subscribe("loa/v1/many/\(index)")
        }
        let before = loop.statistics
        let publisher = try MQTTClient(options: .init(host: "127.0.0.1", port: broker.port, clientID: "many-pub"))
        try await publisher.waitUntilConnected()
        for index in 0..<count {
            try await publisher.publish(topic: "loa/v1/many/\(index)", payload: Data("số \(index)".utf8))
        }
        for (index, client) in clients.enumerated() {
            var iterator = client.messages.makeAsyncIterator()
            let message = await iterator.next()
            #expect(message?.topic == "loa/v1/many/\(index)")
            #expect(message.map { String(decoding: $0.payload, as: UTF8.self) } == "số \(index)")
        }
        let after = loop.statistics
        #expect(after.turns > before.turns)
        #expect(after.socketsReady - before.socketsReady >= UInt64(count))
        for client in clients { await client.close() }
        await publisher.close()
    }
}
