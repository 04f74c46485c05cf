import ArgumentParser
import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaTesting
import Synchronization

/// `loa-bench fanout`: an emergency to N simulated receivers on a local
/// Mosquitto, measured side by side with the same bytes published raw.
///
/// All N receivers live in this process as `MQTTClient`s on ONE shared
/// `MQTTNetworkLoop` (one `poll` thread for every socket), which is the design
/// point being measured. The controller side (one publisher, one collector of
/// events) has a loop of its own, as a separate process would.
///
/// Each round runs two phases over the same connections:
/// - raw: the same payload bytes published (QoS 1, retained) on a raw topic per
///   hamlet; subscribers only take the arrival time;
/// - Loa: the controller seals one `ZoneSchedule` with an emergency item per
///   hamlet (Ed25519, `MessageSigner`) and publishes it, QoS 1, retained, on the
///   hamlet's schedule topic; every receiver opens it with its own
///   `DownwardMessageVerifier`, decodes the document and publishes a `started`
///   `DeviceEvent` (proof of play, JSON) on its events topic; a collector on
///   `loa/v1/{site}/device/+/events` decodes and counts them and hands them to a
///   writer thread that stores them in a `ControllerStore` in batches (durable
///   SQLite with hash chain, tree and signed head).
///
/// Not simulated: the receivers' disk writes (verifier state, memory, outbox)
/// and audio; the controller's database write of the schedule document.
struct FanoutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Emergency fan-out to N simulated receivers on one MQTT loop, against raw publishing on the same broker.")

    @Option(help: "Simulated receivers (MQTT connections on one loop)") var receivers = 1000
    @Option(help: "Hamlets the receivers are spread over (one schedule topic each)") var hamlets = 100
    @Option(help: "Rounds of (raw, Loa) phases") var rounds = 3
    @Option(help: "Seconds to wait for a phase to complete before reporting it incomplete") var phaseTimeout = 30.0
    @Option(help: "Seconds to wait for every receiver to connect") var connectTimeout = 60
    @Flag(help: "Skip storing the proof-of-play events in a ControllerStore") var noStore = false

    /// One phase of one round.
    struct PhaseFigure: Encodable {
        var round: Int
        var phase: String
        /// Receivers that got the message within the timeout.
        var received: Int
        /// Per-receiver send → arrival in the receiver's task (ms).
        var latency: LatencySummary
        /// Send → the last receiver had it (ms); nil when not all did.
        var allReceivedMs: Double?
        /// Loa only: send → the last receiver had verified and decoded it (ms).
        var allVerifiedMs: Double?
        /// Loa only: send → the last proof-of-play event reached the collector (ms).
        var allEventsAtCollectorMs: Double?
        /// Loa only: send → the last event was stored durably in the log (ms).
        var allEventsDurableMs: Double?
        /// Loa only: time to seal the hamlets' documents (ms), included in the above.
        var sealMs: Double?
        /// CPU seconds used meanwhile by the broker and by this whole process (receivers, loops, controller side).
        var brokerCPUSeconds: Double
        var benchCPUSeconds: Double
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var fileLimit: Int
        var receivers: Int
        var hamlets: Int
        var payloadBytes: Int
        var mosquitto: String
        var connectSeconds: Double
        var clientsCreatedSeconds: Double
        var subscribeSeconds: Double
        var phases: [PhaseFigure]
        /// Median over rounds of Loa all-received / raw all-received.
        var ratioAllReceived: Double?
        /// Median over rounds of Loa all-events-durable (or at collector) / raw all-received.
        var ratioProofOfPlay: Double?
        var durableStore: Bool
        var refusedMessages: Int
        var peakRSSMiB: Double
    }

    static let site = "xa-ha-binh"

    func run() async throws {
        guard receivers > 0, hamlets > 0, rounds > 0 else { throw ValidationError("give positive numbers") }
        let limits = FileLimit.raiseToHard()
        // libmosquitto holds 3 descriptors per client (its socket and a socketpair to
        // interrupt its own loop); keep room for everything else.
        let maximum = (limits.soft - 256) / 3
        guard receivers <= maximum else {
            throw ValidationError(
                "--receivers \(receivers) needs \(receivers * 3) open files in this process (libmosquitto: 3 per client), but RLIMIT_NOFILE's hard limit is \(limits.hard): at most \(maximum) here")
        }
        let machine = MachineFacts.current()
        let topics = Topics(site: Self.site)
        let hamletIDs = (0..<hamlets).map { String(format: "thon-%03d", $0) }
        let key = SigningKey(name: "loa.\(Self.site)")
        let signer = MessageSigner(key: key)

        let brokerConfig = """
            allow_anonymous true
            max_connections -1
            max_queued_messages 10000
            max_inflight_messages 20
            log_type none
            log_dest none
            """
        let broker = try MosquittoBroker(configuration: brokerConfig)
        let brokerPID = broker.processID
        defer { broker.stop() }
        let fleetLoop = MQTTNetworkLoop(name: "loa-mqtt-fleet")
        let controllerLoop = MQTTNetworkLoop(name: "loa-mqtt-ctl")
        let ownPID = getpid()

        // The controller's side: publisher and event collector.
        let publisher = try MQTTClient(
            options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "controller", cleanSession: true),
            loop: controllerLoop)
        let collector = try MQTTClient(
            options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "controller-events", cleanSession: true),
            loop: controllerLoop)
        try await publisher.waitUntilConnected()
        try await collector.waitUntilConnected()
        try await collector.subscribe(topics.allDeviceEvents, qos: .atLeastOnce)

        let tally = FanoutTally(receivers: receivers)
        let storeDirectory = try TemporaryDirectory(prefix: "loa-fanout-store")
        defer { storeDirectory.remove() }
        let writer = noStore ? nil : try DurableEventWriter(
            store: ControllerStore(path: storeDirectory.path("controller.sqlite").path, signingKey: key), tally: tally)
        defer { writer?.stop() }
        let collecting = Task { [collector, tally, writer] in
            for await message in collector.messages {
                guard let device = topics.device(inTopic: message.topic),
                      let event = try? WireCoding.decode(DeviceEvent.self, from: message.payload),
                      event.device == device, let index = FanoutTally.index(of: device)
                else { continue }
                tally.eventArrived(index: index, item: event.item, at: .now)
                writer?.add(event, receivedAt: Date())
            }
        }
        defer { collecting.cancel() }

        // The fleet: N clients on one loop, created from several threads so that the
        // loop takes their start jobs in batches.
        print("connecting \(receivers) receivers…")
        let connectStart = ContinuousClock.now
        let clients = try await Self.makeClients(count: receivers, port: broker.port, loop: fleetLoop)
        let created = ContinuousClock.now
        for (index, client) in clients.enumerated() {
            let hamlet = hamletIDs[index % hamlets]
            Self.startReceiver(
                client: client, index: index, hamlet: hamlet, topics: topics, verifierKey: key.verifier, tally: tally)
        }
        let connectDeadline = ContinuousClock.now + .seconds(connectTimeout)
        while clients.contains(where: { $0.state != .connected }) {
            guard ContinuousClock.now < connectDeadline else {
                var states: [String: Int] = [:]
                for client in clients { states["\(client.state)", default: 0] += 1 }
                throw ValidationError(
                    "not all \(receivers) receivers connected within 90 s: \(states.map { "\($0.value) \($0.key)" }.sorted().joined(separator: "; "))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let connected = ContinuousClock.now
        print(String(format: "connected in %.2f s; subscribing…", (connected - connectStart).seconds))
        await withTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                let hamlet = hamletIDs[index % hamlets]
                group.addTask {
                    try? await client.subscribe(topics.zoneSchedule(hamlet), qos: .atLeastOnce)
                    try? await client.subscribe(Self.rawTopic(hamlet), qos: .atLeastOnce)
                }
            }
        }
        let subscribed = ContinuousClock.now

        // The payload of the raw phase: a sealed document of the same size, sent as opaque bytes.
        let sample = try Self.seal(hamlet: hamletIDs[0], round: 0, topics: topics, signer: signer)
        var phases: [PhaseFigure] = []
        for round in 1...rounds {
            try await Task.sleep(for: .milliseconds(300))
            phases.append(try await rawPhase(
                round: round, payload: sample, hamlets: hamletIDs, publisher: publisher, tally: tally,
                brokerPID: brokerPID, ownPID: ownPID))
            print(Self.describe(phases.last!))
            try await Task.sleep(for: .milliseconds(300))
            phases.append(try await loaPhase(
                round: round, hamlets: hamletIDs, topics: topics, signer: signer, publisher: publisher, tally: tally,
                brokerPID: brokerPID, ownPID: ownPID, durable: writer != nil))
            print(Self.describe(phases.last!))
        }

        let output = Output(
            command: BenchOutput.commandLine, machine: machine, fileLimit: limits.soft, receivers: receivers,
            hamlets: hamlets, payloadBytes: sample.count, mosquitto: Self.mosquittoVersion(),
            connectSeconds: (connected - connectStart).seconds, clientsCreatedSeconds: (created - connectStart).seconds,
            subscribeSeconds: (subscribed - connected).seconds, phases: phases,
            ratioAllReceived: Self.medianRatio(phases) { $0.allReceivedMs },
            ratioProofOfPlay: Self.medianRatio(phases) { $0.allEventsDurableMs ?? $0.allEventsAtCollectorMs },
            durableStore: writer != nil, refusedMessages: tally.refused,
            peakRSSMiB: Double(ProcessSample.peakResidentKiB(pid: ownPID) ?? 0) / 1024)
        printReport(output)
        print(try BenchOutput.jsonLine(output))
    }

    // MARK: Phases

    private func rawPhase(
        round: Int, payload: Data, hamlets: [String], publisher: MQTTClient, tally: FanoutTally,
        brokerPID: Int32, ownPID: Int32
    ) async throws -> PhaseFigure {
        let cpu = CPUSnapshot(brokerPID: brokerPID, ownPID: ownPID)
        let start = ContinuousClock.now
        tally.begin(phase: .raw, round: round, at: start)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for hamlet in hamlets {
                group.addTask { try await publisher.publish(topic: Self.rawTopic(hamlet), payload: payload, qos: .atLeastOnce, retain: true) }
            }
            try await group.waitForAll()
        }
        try await waitFor(tally) { $0.received == receivers }
        let figures = tally.figures()
        let used = cpu.used()
        return PhaseFigure(
            round: round, phase: "raw", received: figures.received, latency: LatencySummary(figures.receivedMs),
            allReceivedMs: figures.received == receivers ? figures.receivedMs.max() : nil,
            brokerCPUSeconds: used.broker, benchCPUSeconds: used.own)
    }

    private func loaPhase(
        round: Int, hamlets: [String], topics: Topics, signer: MessageSigner, publisher: MQTTClient, tally: FanoutTally,
        brokerPID: Int32, ownPID: Int32, durable: Bool
    ) async throws -> PhaseFigure {
        let cpu = CPUSnapshot(brokerPID: brokerPID, ownPID: ownPID)
        let start = ContinuousClock.now
        tally.begin(phase: .loa, round: round, at: start)
        let sealed = try hamlets.map { try Self.seal(hamlet: $0, round: round, topics: topics, signer: signer) }
        let sealMs = BenchOutput.milliseconds(ContinuousClock.now - start)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (hamlet, document) in zip(hamlets, sealed) {
                group.addTask {
                    try await publisher.publish(topic: topics.zoneSchedule(hamlet), payload: document, qos: .atLeastOnce, retain: true)
                }
            }
            try await group.waitForAll()
        }
        try await waitFor(tally) { $0.durable == receivers || (!durable && $0.events == receivers) }
        let figures = tally.figures()
        let used = cpu.used()
        return PhaseFigure(
            round: round, phase: "loa", received: figures.received, latency: LatencySummary(figures.receivedMs),
            allReceivedMs: figures.received == receivers ? figures.receivedMs.max() : nil,
            allVerifiedMs: figures.verified == receivers ? figures.lastVerifiedMs : nil,
            allEventsAtCollectorMs: figures.events == receivers ? figures.lastEventMs : nil,
            allEventsDurableMs: durable && figures.durable == receivers ? figures.lastDurableMs : nil,
            sealMs: sealMs, brokerCPUSeconds: used.broker, benchCPUSeconds: used.own)
    }

    /// Polls the tally until `done` or the phase timeout.
    private func waitFor(_ tally: FanoutTally, _ done: (FanoutTally.Counts) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(phaseTimeout * 1000))
        while !done(tally.counts), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: The simulated receivers

    static func rawTopic(_ hamlet: String) -> String { "loa-raw/\(site)/\(hamlet)" }

    static func deviceID(_ index: Int) -> String { String(format: "sim-%05d", index) }

    /// The emergency document of `hamlet` for `round`, sealed for its schedule topic.
    static func seal(hamlet: String, round: Int, topics: Topics, signer: MessageSigner) throws -> Data {
        let now = Date()
        let item = ScheduledItem(
            id: "emergency-r\(round)@\(hamlet)", announcementId: "emergency-r\(round)", title: "Cảnh báo lũ khẩn cấp",
            category: .emergency, priority: .emergency, startAt: now.addingTimeInterval(5),
            media: MediaReference(
                sha256: String(repeating: "9a4e", count: 16), bytes: 480_000, contentType: "audio/mpeg", durationMs: 30_000))
        let document = try WireCoding.encode(
            ZoneSchedule(site: site, zone: hamlet, version: round, issuedAt: now, items: [item]))
        let topic = topics.zoneSchedule(hamlet)
        return try signer.seal(
            payload: document, topic: topic, version: round, issuedAt: now, expiresAt: now.addingTimeInterval(3600))
    }

    /// Makes `count` clients on `loop`, from 16 threads so that their start jobs reach the loop in batches.
    static func makeClients(count: Int, port: Int, loop: MQTTNetworkLoop) async throws -> [MQTTClient] {
        let slots = ClientSlots(count: count)
        let threads = min(16, count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for worker in 0..<threads {
                group.enter()
                let thread = Thread {
                    for index in stride(from: worker, to: count, by: threads) {
                        slots.set(index, Result {
                            try MQTTClient(
                                options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: deviceID(index)),
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
        client: MQTTClient, index: Int, hamlet: String, topics: Topics, verifierKey: VerifierKey, tally: FanoutTally
    ) {
        let device = deviceID(index)
        let eventsTopic = topics.deviceEvents(device)
        let rawTopic = rawTopic(hamlet)
        Task {
            var verifier = DownwardMessageVerifier(trusting: [verifierKey])
            for await message in client.messages {
                let arrived = ContinuousClock.now
                if message.topic == rawTopic {
                    tally.received(index: index, at: arrived)
                    continue
                }
                tally.received(index: index, at: arrived)
                guard case .success(let opened) = verifier.open(message.payload, topic: message.topic, now: Date()),
                      let schedule = try? WireCoding.decode(ZoneSchedule.self, from: opened.payload),
                      schedule.site == site, schedule.zone == hamlet, let item = schedule.items.first
                else {
                    tally.refusedOne()
                    continue
                }
                tally.verified(index: index, at: .now)
                let now = Date()
                let event = DeviceEvent(
                    id: UUID().uuidString.lowercased(), device: device, site: site, zone: hamlet, item: item.id,
                    kind: .started, at: now, measuredStartAt: now, startOffsetMs: 0)
                guard let payload = try? WireCoding.encode(event) else { continue }
                try? await client.publish(topic: eventsTopic, payload: payload, qos: .atLeastOnce)
            }
        }
    }

    // MARK: Output

    static func describe(_ phase: PhaseFigure) -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "incomplete" }
        var text = "round \(phase.round) \(phase.phase): \(phase.received) received, all in \(ms(phase.allReceivedMs)) ms"
        if phase.phase == "loa" {
            text += ", verified \(ms(phase.allVerifiedMs)), events \(ms(phase.allEventsAtCollectorMs)), durable \(ms(phase.allEventsDurableMs))"
        }
        return text
    }

    private func printReport(_ output: Output) {
        func ms(_ value: Double?) -> String { value.map { String(format: "%9.1f", $0) } ?? "        —" }
        print("")
        print(output.command)
        print(BenchOutput.machineLine(output.machine))
        print("broker: \(output.mosquitto), loopback, max_connections -1, max_queued_messages 10000, logging off; RLIMIT_NOFILE \(output.fileLimit)")
        print("fleet: \(output.receivers) receivers over \(output.hamlets) hamlets, one MQTTNetworkLoop (poll) thread; payload \(output.payloadBytes) bytes, QoS 1, retained")
        print(String(format: "connect: clients made in %.2f s, all CONNACKed in %.2f s (%.0f connections/s); subscribed (2 topics each) in %.2f s",
                     output.clientsCreatedSeconds, output.connectSeconds, Double(output.receivers) / output.connectSeconds,
                     output.subscribeSeconds))
        print("")
        print("times in ms from the controller's send (Loa: including sealing); CPU s: broker / bench process")
        print("round phase   got    p50        p99        max  all-recv  verified  events@ctl  durable   CPU s")
        for phase in output.phases {
            print(String(format: "%5d %-5@ %5d", phase.round, phase.phase, phase.received)
                + " \(ms(phase.latency.p50))  \(ms(phase.latency.p99))  \(ms(phase.latency.max))\(ms(phase.allReceivedMs))"
                + " \(ms(phase.allVerifiedMs))  \(ms(phase.allEventsAtCollectorMs))\(ms(phase.allEventsDurableMs))"
                + String(format: "   %.2f / %.2f", phase.brokerCPUSeconds, phase.benchCPUSeconds))
        }
        print("")
        if let ratio = output.ratioAllReceived {
            print(String(format: "Loa / raw, send → received by all (median over rounds): %.2f×", ratio))
        }
        if let ratio = output.ratioProofOfPlay {
            print(String(format: "Loa send → all proof of play %@ / raw send → received by all: %.2f×",
                         output.durableStore ? "durable in the log" : "at the collector", ratio))
        }
        print(String(format: "refused downward messages: %d; peak RSS of this process: %.0f MiB", output.refusedMessages, output.peakRSSMiB))
    }

    static func medianRatio(_ phases: [PhaseFigure], _ value: (PhaseFigure) -> Double?) -> Double? {
        var ratios: [Double] = []
        for round in Set(phases.map(\.round)) {
            guard let raw = phases.first(where: { $0.round == round && $0.phase == "raw" })?.allReceivedMs,
                  let loa = phases.first(where: { $0.round == round && $0.phase == "loa" }).flatMap(value), raw > 0
            else { continue }
            ratios.append(loa / raw)
        }
        guard !ratios.isEmpty else { return nil }
        return LatencySummary.percentile(ratios.sorted(), 50)
    }

    static func mosquittoVersion() -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-h"]
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return "mosquitto" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.map(String.init) ?? "mosquitto"
    }
}

/// CPU seconds of the broker and of this process at one moment.
struct CPUSnapshot {
    let brokerPID: Int32
    let ownPID: Int32
    let broker: Double
    let own: Double

    init(brokerPID: Int32, ownPID: Int32) {
        self.brokerPID = brokerPID
        self.ownPID = ownPID
        broker = ProcessSample.cpuSeconds(pid: brokerPID) ?? 0
        own = ProcessSample.cpuSeconds(pid: ownPID) ?? 0
    }

    /// CPU seconds used since this snapshot.
    func used() -> (broker: Double, own: Double) {
        let now = CPUSnapshot(brokerPID: brokerPID, ownPID: ownPID)
        return (now.broker - broker, now.own - own)
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

/// What the receivers and the collector saw in the current phase, by receiver.
final class FanoutTally: Sendable {
    enum Phase: Sendable { case raw, loa }

    struct Counts {
        var received = 0
        var verified = 0
        var events = 0
        var durable = 0
    }

    struct Figures {
        var received: Int
        var verified: Int
        var events: Int
        var durable: Int
        var receivedMs: [Double]
        var lastVerifiedMs: Double
        var lastEventMs: Double
        var lastDurableMs: Double
    }

    private struct State {
        var phase = Phase.raw
        var round = 0
        var start = ContinuousClock.now
        var receivedAt: [ContinuousClock.Instant?]
        var verifiedAt: [ContinuousClock.Instant?]
        var eventAt: [ContinuousClock.Instant?]
        var counts = Counts()
        var lastDurable = ContinuousClock.now
        var refused = 0
    }

    private let state: Mutex<State>

    init(receivers: Int) {
        state = Mutex(State(
            receivedAt: Array(repeating: nil, count: receivers), verifiedAt: Array(repeating: nil, count: receivers),
            eventAt: Array(repeating: nil, count: receivers)))
    }

    /// The receiver index in a simulated device id (`sim-00042` → 42).
    static func index(of device: String) -> Int? {
        device.hasPrefix("sim-") ? Int(device.dropFirst(4)) : nil
    }

    /// Clears the counts for a new phase sent at `start`.
    func begin(phase: Phase, round: Int, at start: ContinuousClock.Instant) {
        state.withLock { state in
            let count = state.receivedAt.count
            state.phase = phase
            state.round = round
            state.start = start
            state.receivedAt = Array(repeating: nil, count: count)
            state.verifiedAt = Array(repeating: nil, count: count)
            state.eventAt = Array(repeating: nil, count: count)
            state.counts = Counts()
        }
    }

    func received(index: Int, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard state.receivedAt[index] == nil else { return }
            state.receivedAt[index] = instant
            state.counts.received += 1
        }
    }

    func verified(index: Int, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard state.verifiedAt[index] == nil else { return }
            state.verifiedAt[index] = instant
            state.counts.verified += 1
        }
    }

    func refusedOne() { state.withLock { $0.refused += 1 } }

    var refused: Int { state.withLock { $0.refused } }

    /// A proof-of-play event reached the collector; counted once per receiver for the current round.
    func eventArrived(index: Int, item: String, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard state.phase == .loa, item.hasPrefix("emergency-r\(state.round)@"), index < state.eventAt.count,
                  state.eventAt[index] == nil
            else { return }
            state.eventAt[index] = instant
            state.counts.events += 1
        }
    }

    /// `count` events of the current round were stored durably.
    func stored(_ count: Int, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            state.counts.durable += count
            state.lastDurable = instant
        }
    }

    var counts: Counts { state.withLock { $0.counts } }

    func figures() -> Figures {
        state.withLock { state in
            func ms(_ instant: ContinuousClock.Instant) -> Double { BenchOutput.milliseconds(instant - state.start) }
            return Figures(
                received: state.counts.received, verified: state.counts.verified, events: state.counts.events,
                durable: state.counts.durable, receivedMs: state.receivedAt.compactMap { $0.map(ms) },
                lastVerifiedMs: state.verifiedAt.compactMap { $0.map(ms) }.max() ?? 0,
                lastEventMs: state.eventAt.compactMap { $0.map(ms) }.max() ?? 0,
                lastDurableMs: ms(state.lastDurable))
        }
    }
}

/// The controller's durable side: a thread that stores the collected events in
/// the log in batches (one transaction, one head signature, one fsync each), as
/// the ingest benchmark measures.
final class DurableEventWriter: Sendable {
    private let store: ControllerStore
    private let tally: FanoutTally
    private let queue = Mutex<(events: [(DeviceEvent, Date)], stopped: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)
    /// Events per transaction at most.
    static let batchLimit = 1000

    init(store: ControllerStore, tally: FanoutTally) throws {
        self.store = store
        self.tally = tally
        let thread = Thread { [self] in self.run() }
        thread.name = "loa-fanout-store"
        thread.start()
    }

    func add(_ event: DeviceEvent, receivedAt: Date) {
        queue.withLock { $0.events.append((event, receivedAt)) }
        wake.signal()
    }

    func stop() {
        queue.withLock { $0.stopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            _ = wake.wait(timeout: .now() + .milliseconds(100))
            while true {
                let (batch, stopped) = queue.withLock { queue in
                    let batch = Array(queue.events.prefix(Self.batchLimit))
                    queue.events.removeFirst(batch.count)
                    return (batch, queue.stopped)
                }
                if stopped { return }
                if batch.isEmpty { break }
                do {
                    let new = try store.record(batch).filter { $0 }.count
                    tally.stored(new, at: .now)
                } catch {
                    print("storing events failed: \(error)")
                }
            }
        }
    }
}
