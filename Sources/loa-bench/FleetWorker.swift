import ArgumentParser
import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import Synchronization

/// `loa-bench fleet-worker` (hidden): one process of `fanout`'s simulated fleet.
///
/// It holds receivers `first ..< first + count` as `MQTTClient`s on one
/// `MQTTNetworkLoop` of its own, connects and subscribes them, then reports on
/// stdout (`FleetReportLine`) what each receiver does, with `MonotonicTime`
/// stamps taken in the receiver's task. It answers `stats` on stdin with its
/// loop's counters and exits when stdin closes.
struct FleetWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-worker", abstract: "One process of the fanout fleet (started by fanout).",
        shouldDisplay: false)

    @Option var port: Int
    @Option var first: Int
    @Option var count: Int
    @Option var hamlets: Int
    @Option(help: "The controller's verifier key, vkey text") var verifierKey: String
    @Option var connectTimeout = 60

    static let loopName = "loa-mqtt-fleet"

    func run() async throws {
        try await FleetReportWriter.serving { try await serve(report: $0) }
    }

    private func serve(report: FleetReportWriter) async throws {
        FileLimit.raiseToHard()
        let key = try VerifierKey(text: verifierKey)
        let topics = Topics(site: FanoutBenchmark.site)
        let loop = MQTTNetworkLoop(name: Self.loopName)
        let start = ContinuousClock.now
        let indices = Array(first..<(first + count))
        let clients = try await Self.makeClients(
            indices.map { (clientID: FanoutBenchmark.deviceID($0), port: port) }, loop: loop)
        let created = ContinuousClock.now
        for (index, client) in zip(indices, clients) {
            Self.startReceiver(
                client: client, index: index, hamlet: FanoutBenchmark.hamletID(index % hamlets), topics: topics,
                verifierKey: key, report: report)
        }
        try await Self.waitUntilConnected(clients, timeout: connectTimeout, naming: "receivers \(first)…\(first + count - 1)")
        let connected = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for (index, client) in zip(indices, clients) {
                let hamlet = FanoutBenchmark.hamletID(index % hamlets)
                group.addTask {
                    try? await client.subscribe(topics.zoneSchedule(hamlet), qos: .atLeastOnce)
                    try? await client.subscribe(FanoutBenchmark.rawTopic(hamlet), qos: .atLeastOnce)
                }
            }
        }
        await FleetWorker.readyThenAnswer(
            times: (start, created, connected, ContinuousClock.now), clients: clients, loop: loop, report: report)
    }

    /// Waits until every client is connected.
    /// - Throws: after `timeout` seconds, with how many are in which state.
    static func waitUntilConnected(_ clients: [MQTTClient], timeout: Int, naming who: String) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while clients.contains(where: { $0.state != .connected }) {
            guard ContinuousClock.now < deadline else {
                var states: [String: Int] = [:]
                for client in clients { states["\(client.state)", default: 0] += 1 }
                throw ValidationError(
                    "\(who): not all connected within \(timeout) s: \(states.map { "\($0.value) \($0.key)" }.sorted().joined(separator: "; "))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Tells the parent the worker is ready (`ready` line with the times from `start` to
    /// clients made, connected, and subscribed), answers its commands until it closes
    /// stdin, then disconnects the clients.
    static func readyThenAnswer(
        times: (start: ContinuousClock.Instant, created: ContinuousClock.Instant, connected: ContinuousClock.Instant,
                subscribed: ContinuousClock.Instant),
        clients: [MQTTClient], loop: MQTTNetworkLoop, report: FleetReportWriter
    ) async {
        report.send(.ready(
            created: (times.created - times.start).seconds, connected: (times.connected - times.start).seconds,
            subscribed: (times.subscribed - times.connected).seconds))
        await answerCommands(loop: loop, report: report)
        for client in clients { await client.close() }
        report.flush()
    }

    /// Answers the parent's commands, one a line on stdin (`stats`: the loop's counters),
    /// until it closes stdin.
    static func answerCommands(loop: MQTTNetworkLoop, report: FleetReportWriter) async {
        let ownPID = getpid()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                while let line = readLine() {
                    guard line == "stats" else { continue }
                    let statistics = loop.statistics
                    report.send(.statistics(
                        turns: statistics.turns, ready: statistics.socketsReady,
                        loopCPUSeconds: ProcessSample.threadCPUSeconds(pid: ownPID, name: loopName) ?? -1))
                }
                done.resume()
            }
            thread.start()
        }
    }

    /// Makes a client per (client id, broker port on loopback) on `loop`, from 16 threads so
    /// that their start jobs reach the loop in batches.
    static func makeClients(_ clients: [(clientID: String, port: Int)], loop: MQTTNetworkLoop) async throws -> [MQTTClient] {
        let slots = ClientSlots(count: clients.count)
        let threads = min(16, clients.count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for worker in 0..<threads {
                group.enter()
                let thread = Thread {
                    for slot in stride(from: worker, to: clients.count, by: threads) {
                        slots.set(slot, Result {
                            try MQTTClient(
                                options: MQTTClientOptions(
                                    host: "127.0.0.1", port: clients[slot].port, clientID: clients[slot].clientID),
                                loop: loop)
                        })
                    }
                    group.leave()
                }
                thread.stackSize = 256 * 1024
                thread.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        return try slots.clients()
    }

    /// Runs one simulated receiver: raw messages are only timed; schedule documents are
    /// verified, decoded and answered with a proof-of-play event.
    static func startReceiver(
        client: MQTTClient, index: Int, hamlet: String, topics: Topics, verifierKey: VerifierKey,
        report: FleetReportWriter
    ) {
        let site = FanoutBenchmark.site
        let device = FanoutBenchmark.deviceID(index)
        let eventsTopic = topics.deviceEvents(device)
        let rawTopic = FanoutBenchmark.rawTopic(hamlet)
        Task {
            var verifier = DownwardMessageVerifier(trusting: [verifierKey])
            for await message in client.messages {
                report.send(.received(index: index, at: MonotonicTime.now()))
                if message.topic == rawTopic { continue }
                guard case .success(let opened) = verifier.open(message.payload, topic: message.topic, now: Date()),
                      let schedule = try? WireCoding.decode(ZoneSchedule.self, from: opened.payload),
                      schedule.site == site, schedule.zone == hamlet, let item = schedule.items.first
                else {
                    report.send(.refused(index: index))
                    continue
                }
                report.send(.verified(index: index, at: MonotonicTime.now()))
                let now = Date()
                let event = DeviceEvent(
                    id: UUID().uuidString.lowercased(), device: device, site: site, zone: hamlet, item: item.id,
                    kind: .started, at: now, measuredStartAt: now, startOffsetMs: 0)
                guard let payload = try? WireCoding.encode(event) else { continue }
                try? await client.publish(topic: eventsTopic, payload: payload, qos: .atLeastOnce)
            }
        }
    }
}

/// Clients made by several threads, each into its own slot.
final class ClientSlots: Sendable {
    private let slots: Mutex<[Result<MQTTClient, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ result: Result<MQTTClient, any Error>) {
        slots.withLock { $0[index] = result }
    }

    /// Every client, or the first error.
    func clients() throws -> [MQTTClient] {
        try slots.withLock { slots in try slots.map { try $0!.get() } }
    }
}
