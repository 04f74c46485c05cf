import ArgumentParser
import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaStore
import LoaHarness

/// `loa-bench fanout`: an emergency to N simulated receivers on a local
/// Mosquitto, measured side by side with the same bytes published raw.
///
/// The N receivers run in P worker processes of this executable
/// (`fleet-worker`), each with its share of `MQTTClient`s on ONE
/// `MQTTNetworkLoop` of its own, which is the design point being measured.
/// Workers stamp each arrival with `MonotonicTime` in the receiver's task and
/// report it over a pipe. This process is the controller's side: one
/// publisher and one collector of events, on a loop of their own.
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
///   writer thread that stores them in a `SQLiteStore` in batches (durable
///   SQLite with hash chain, tree and signed head).
///
/// Not simulated: the receivers' disk writes (verifier state, memory, outbox)
/// and audio; the controller's database write of the schedule document.
struct FanoutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Emergency fan-out to N simulated receivers in worker processes, against raw publishing on the same broker.")

    @Option(help: "Simulated receivers (MQTT connections)") var receivers = 1000
    @Option(help: "Worker processes holding the receivers (default: as few as the open-file limit allows)")
    var processes: Int?
    @Option(help: "Hamlets the receivers are spread over (one schedule topic each)") var hamlets = 100
    @Option(help: "Rounds of (raw, Loa) phases") var rounds = 3
    @Option(help: "Seconds to wait for a phase to complete before reporting it incomplete") var phaseTimeout = 30.0
    @Option(help: "Seconds to wait for every receiver to connect") var connectTimeout = 60
    @Flag(help: "Skip storing the proof-of-play events in a SQLiteStore") var noStore = false

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
        /// CPU seconds used meanwhile by the broker, by this (controller) process and by all fleet workers.
        var brokerCPUSeconds = 0.0
        var controllerCPUSeconds = 0.0
        var fleetCPUSeconds = 0.0
        /// The fleet workers' network loops meanwhile, summed: turns (epoll_wait calls), client sockets ready, loop threads' CPU.
        var loopTurns: UInt64 = 0
        var loopSocketsReady: UInt64 = 0
        var loopCPUSeconds = 0.0
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var fileLimit: Int
        var brokerFileLimit: Int?
        var receivers: Int
        var processes: Int
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
        /// Peak RSS of the controller process, of each fleet worker, of the broker.
        var peakRSSMiB: Double
        var workerPeakRSSMiB: [Double]
        var brokerPeakRSSMiB: Double
    }

    static let site = "xa-ha-binh"

    func run() async throws {
        guard receivers > 0, hamlets > 0, rounds > 0 else { throw ValidationError("give positive numbers") }
        let (processCount, limits) = try FleetWorkers.processes(for: receivers, requested: processes)
        // The broker inherits the raised limit; it holds one descriptor per connection.
        guard receivers + 2 + 64 <= limits.soft else {
            throw ValidationError(
                "--receivers \(receivers): the broker would need \(receivers + 66) open files, RLIMIT_NOFILE is \(limits.soft)")
        }
        let machine = MachineFacts.current()
        let topics = Topics(site: Self.site)
        let hamletIDs = (0..<hamlets).map(Self.hamletID)
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
        let controllerLoop = MQTTNetworkLoop(name: "loa-mqtt-ctl")

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
        let writer = noStore ? nil : DurableEventWriter(
            store: try SQLiteStore(path: storeDirectory.path("controller.sqlite").path, signingKey: key), tally: tally)
        defer { writer?.stop() }
        let collecting = Task { [collector, tally, writer] in
            for await message in collector.messages {
                guard let device = topics.device(inTopic: message.topic),
                      let event = try? WireCoding.decode(DeviceEvent.self, from: message.payload),
                      event.device == device, let index = FanoutTally.index(of: device)
                else { continue }
                tally.eventArrived(index: index, item: event.item, at: MonotonicTime.now())
                writer?.add(event, receivedAt: Date())
            }
        }
        defer { collecting.cancel() }

        // The fleet: worker processes, each connecting and subscribing its share.
        print("connecting \(receivers) receivers in \(processCount) worker process(es)…")
        let fleet = try FleetWorkers(receivers: receivers, processes: processCount, tally: tally) { [hamlets, connectTimeout] first, count in
            [
                "fleet-worker", "--port", "\(broker.port)", "--first", "\(first)", "--count", "\(count)",
                "--hamlets", "\(hamlets)", "--verifier-key", key.verifier.text, "--connect-timeout", "\(connectTimeout)",
            ]
        }
        defer { fleet.stop() }
        let readiness = try await fleet.waitUntilReady(timeout: .seconds(connectTimeout * 2 + 60))
        print(String(format: "connected in %.2f s, subscribed in %.2f s (slowest worker)", readiness.connected, readiness.subscribed))
        let meters = PhaseMeters(brokerPID: brokerPID, controllerPID: getpid(), fleet: fleet)

        // The payload of the raw phase: a sealed document of the same size, sent as opaque bytes.
        let sample = try Self.seal(hamlet: hamletIDs[0], round: 0, topics: topics, signer: signer)
        var phases: [PhaseFigure] = []
        for round in 1...rounds {
            try await Task.sleep(for: .milliseconds(300))
            phases.append(try await rawPhase(
                round: round, payload: sample, hamlets: hamletIDs, publisher: publisher, tally: tally, meters: meters))
            print(Self.describe(phases.last!))
            try await Task.sleep(for: .milliseconds(300))
            phases.append(try await loaPhase(
                round: round, hamlets: hamletIDs, topics: topics, signer: signer, publisher: publisher, tally: tally,
                meters: meters, durable: writer != nil))
            print(Self.describe(phases.last!))
        }

        let output = Output(
            command: BenchOutput.commandLine, machine: machine, fileLimit: limits.soft,
            brokerFileLimit: Self.openFileLimit(pid: brokerPID), receivers: receivers, processes: processCount,
            hamlets: hamlets, payloadBytes: sample.count, mosquitto: Self.mosquittoVersion(),
            connectSeconds: readiness.connected, clientsCreatedSeconds: readiness.created,
            subscribeSeconds: readiness.subscribed, phases: phases,
            ratioAllReceived: Self.medianRatio(phases) { $0.allReceivedMs },
            ratioProofOfPlay: Self.medianRatio(phases) { $0.allEventsDurableMs ?? $0.allEventsAtCollectorMs },
            durableStore: writer != nil, refusedMessages: tally.refused,
            peakRSSMiB: Double(ProcessSample.peakResidentKiB(pid: getpid()) ?? 0) / 1024,
            workerPeakRSSMiB: fleet.peakResidentMiB(),
            brokerPeakRSSMiB: Double(ProcessSample.peakResidentKiB(pid: brokerPID) ?? 0) / 1024)
        printReport(output)
        print(try BenchOutput.jsonLine(output))
    }

    // MARK: Phases

    private func rawPhase(
        round: Int, payload: Data, hamlets: [String], publisher: MQTTClient, tally: FanoutTally, meters: PhaseMeters
    ) async throws -> PhaseFigure {
        let before = try await meters.read()
        let start = MonotonicTime.now()
        tally.begin(phase: .raw, round: round, at: start)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for hamlet in hamlets {
                group.addTask { try await publisher.publish(topic: Self.rawTopic(hamlet), payload: payload, qos: .atLeastOnce, retain: true) }
            }
            try await group.waitForAll()
        }
        try await waitFor(tally) { $0.received == receivers }
        let figures = tally.figures()
        let used = try await meters.read() - before
        var phase = PhaseFigure(
            round: round, phase: "raw", received: figures.received, latency: LatencySummary(figures.receivedMs),
            allReceivedMs: figures.received == receivers ? figures.receivedMs.max() : nil)
        used.fill(&phase)
        return phase
    }

    private func loaPhase(
        round: Int, hamlets: [String], topics: Topics, signer: MessageSigner, publisher: MQTTClient, tally: FanoutTally,
        meters: PhaseMeters, durable: Bool
    ) async throws -> PhaseFigure {
        let before = try await meters.read()
        let start = MonotonicTime.now()
        tally.begin(phase: .loa, round: round, at: start)
        let sealed = try hamlets.map { try Self.seal(hamlet: $0, round: round, topics: topics, signer: signer) }
        let sealMs = MonotonicTime.milliseconds(from: start, to: MonotonicTime.now())
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
        let used = try await meters.read() - before
        var phase = PhaseFigure(
            round: round, phase: "loa", received: figures.received, latency: LatencySummary(figures.receivedMs),
            allReceivedMs: figures.received == receivers ? figures.receivedMs.max() : nil,
            allVerifiedMs: figures.verified == receivers ? figures.lastVerifiedMs : nil,
            allEventsAtCollectorMs: figures.events == receivers ? figures.lastEventMs : nil,
            allEventsDurableMs: durable && figures.durable == receivers ? figures.lastDurableMs : nil,
            sealMs: sealMs)
        used.fill(&phase)
        return phase
    }

    /// Polls the tally until `done` or the phase timeout.
    private func waitFor(_ tally: FanoutTally, _ done: (FanoutTally.Counts) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(phaseTimeout * 1000))
        while !done(tally.counts), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: The simulated receivers' topics and documents

    static func rawTopic(_ hamlet: String) -> String { "loa-raw/\(site)/\(hamlet)" }

    static func hamletID(_ index: Int) -> String { String(format: "thon-%03d", index) }

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

    /// The soft "Max open files" of a running process, from /proc/PID/limits.
    static func openFileLimit(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") })
        else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Int($0) }
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
        print("broker: \(output.mosquitto), loopback, max_connections -1, max_queued_messages 10000, logging off; its RLIMIT_NOFILE \(output.brokerFileLimit.map(String.init) ?? "?")")
        print("fleet: \(output.receivers) receivers over \(output.hamlets) hamlets in \(output.processes) worker process(es), one MQTTNetworkLoop (epoll) thread each; RLIMIT_NOFILE \(output.fileLimit); payload \(output.payloadBytes) bytes, QoS 1, retained")
        print(String(format: "connect (slowest worker): clients made in %.2f s, all CONNACKed in %.2f s (%.0f connections/s); subscribed (2 topics each) in %.2f s",
                     output.clientsCreatedSeconds, output.connectSeconds, Double(output.receivers) / output.connectSeconds,
                     output.subscribeSeconds))
        print("")
        print("times in ms from the controller's send (Loa: including sealing), CLOCK_MONOTONIC across processes")
        print("CPU s: broker / controller process / fleet workers; loop: the workers' MQTT loop threads (CPU s, epoll_wait turns, sockets ready)")
        print("round phase   got    p50        p99        max  all-recv  verified  events@ctl  durable   CPU s              loop")
        for phase in output.phases {
            print(String(format: "%5d %-5@ %5d", phase.round, phase.phase, phase.received)
                + " \(ms(phase.latency.p50))  \(ms(phase.latency.p99))  \(ms(phase.latency.max))\(ms(phase.allReceivedMs))"
                + " \(ms(phase.allVerifiedMs))  \(ms(phase.allEventsAtCollectorMs))\(ms(phase.allEventsDurableMs))"
                + String(format: "   %.2f / %.2f / %.2f   %.2f s, %d turns, %d ready",
                         phase.brokerCPUSeconds, phase.controllerCPUSeconds, phase.fleetCPUSeconds,
                         phase.loopCPUSeconds, phase.loopTurns, phase.loopSocketsReady))
        }
        print("")
        if let ratio = output.ratioAllReceived {
            print(String(format: "Loa / raw, send → received by all (median over rounds): %.2f×", ratio))
        }
        if let ratio = output.ratioProofOfPlay {
            print(String(format: "Loa send → all proof of play %@ / raw send → received by all: %.2f×",
                         output.durableStore ? "durable in the log" : "at the collector", ratio))
        }
        let workers = output.workerPeakRSSMiB.map { String(format: "%.0f", $0) }.joined(separator: " + ")
        print(String(format: "refused downward messages: %d; peak RSS: controller %.0f MiB, workers %@ MiB, broker %.0f MiB",
                     output.refusedMessages, output.peakRSSMiB, workers, output.brokerPeakRSSMiB))
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

