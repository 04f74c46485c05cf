import Foundation
import LoaMQTT
import LoaProtocol

/// `province`'s raw phase, on the benchmark's side: a publisher and a collector on
/// every broker, on one network loop of their own. The publisher sends the same bytes
/// as a hamlet's document to each hamlet's raw topic; the collector counts the raw
/// events the receivers send back.
final class RawSide: Sendable {
    private let publishers: [MQTTClient]
    private let collectors: [MQTTClient]
    private let collecting: [Task<Void, Never>]
    private let loop: MQTTNetworkLoop

    init(brokers: [Int], tally: ProvinceTally) async throws {
        let loop = MQTTNetworkLoop(name: "loa-mqtt-raw")
        self.loop = loop
        publishers = try brokers.enumerated().map { index, port in
            try MQTTClient(
                options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "raw-publisher-\(index)", cleanSession: true),
                loop: loop)
        }
        collectors = try brokers.enumerated().map { index, port in
            try MQTTClient(
                options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "raw-collector-\(index)", cleanSession: true),
                loop: loop)
        }
        for client in publishers + collectors { try await client.waitUntilConnected() }
        for collector in collectors { try await collector.subscribe("loa-raw/+/events", qos: .atLeastOnce) }
        collecting = collectors.map { collector in
            Task {
                for await _ in collector.messages { tally.rawEventArrived() }
            }
        }
    }

    /// The document a hamlet's broker holds now (retained), as sent, and what it says.
    func retainedDocument(broker: Int, site: String, hamlet: String, key: VerifierKey) async throws -> (sealed: Data, schedule: ZoneSchedule) {
        let reader = try MQTTClient(
            options: MQTTClientOptions(host: "127.0.0.1", port: publishers[broker].options.port, clientID: "raw-reader", cleanSession: true),
            loop: loop)
        defer { Task { await reader.close() } }
        try await reader.waitUntilConnected()
        let topic = Topics(site: site).zoneSchedule(hamlet)
        try await reader.subscribe(topic, qos: .atLeastOnce)
        var verifier = DownwardMessageVerifier(trusting: [key])
        for await message in reader.messages {
            guard case .success(let opened) = verifier.open(message.payload, topic: topic, now: Date()) else { continue }
            return (message.payload, try WireCoding.decode(ZoneSchedule.self, from: opened.payload))
        }
        throw FleetError.workerFailed("no document retained on \(topic)")
    }

    /// Publishes `payload` (QoS 1, not retained) to the raw topic of every hamlet, on its commune's broker.
    func publish(_ payload: Data, to communes: [(broker: Int, site: String, hamlets: [String])]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for commune in communes {
                for hamlet in commune.hamlets {
                    let publisher = publishers[commune.broker]
                    group.addTask {
                        try await publisher.publish(
                            topic: ProvincePlan.rawTopic(site: commune.site, hamlet: hamlet), payload: payload, qos: .atLeastOnce)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func close() async {
        for task in collecting { task.cancel() }
        for client in publishers + collectors { await client.close() }
    }
}
