import ArgumentParser
import Foundation
import GRDB
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaPostgresStore
import LoaProtocol
import LoaStore

/// `loa-bench province`: one emergency from the province to every commune at once, on
/// the deployment a province runs: `--controllers` `loa controller` processes each
/// serving every commune, on one PostgreSQL database, the communes sharded over
/// `--brokers` Mosquitto brokers, and `--receivers` simulated receivers (in worker
/// processes) that verify their hamlet's document, **fetch the audio over HTTP** with
/// their token, check its hash, and report `ready` and `started`.
///
/// Timed from the moment the second province approver's approval is committed: each
/// commune taking it up (its `province-emergencies` job), every receiver holding the
/// verified document and the checked audio (ready to play), and every receiver's
/// `ready` and `started` stored durably in its commune's log (polled on the database).
/// CPU of the controllers, the brokers and PostgreSQL is read meanwhile (PostgreSQL's
/// less what it spent serving this process's own polling, printed apart), per receiver,
/// and set beside a raw phase on the same connections: the same bytes published to
/// every hamlet, the same audio fetched from the same servers, the same two events
/// sent back per receiver, with nothing signed, verified, stored or logged.
struct ProvinceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "province",
        abstract: "A province emergency to every commune: PostgreSQL, several controllers, sharded brokers, receivers fetching media.")

    @Option(help: "Communes (sites), each served by every controller process") var communes = 200
    @Option(help: "Hamlets per commune") var hamlets = 5
    @Option(help: "Simulated receivers, spread evenly over the communes") var receivers = 10_000
    @Option(help: "Mosquitto brokers the communes are sharded over") var brokers = 2
    @Option(help: "The store: postgres (the province's shared database and desk), or sqlite (each commune its own file, its own officer and approvers)")
    var engine = "postgres"
    @Option(help: "loa controller processes, each serving every commune (default: 2 on postgres, 1 on sqlite)") var controllers: Int?
    @Option(help: "Database connections per controller process") var pool = 20
    @Option(help: "Worker processes holding the receivers (default: as few as the open-file limit allows)") var processes: Int?
    @Option(help: "Media fetches in flight at once per worker process") var fetches = 64
    @Option(help: "Seconds to wait for a phase") var timeout = 300.0

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var engine: String
        var communes: Int
        var hamlets: Int
        var receivers: Int
        var brokers: Int
        var controllers: Int
        var workers: Int
        var audioBytes: Int
        var documentBytes: Int
        var setupSeconds: Double
        /// From the second approval (ms).
        var takeUpMs: LatencySummary
        var documentMs: LatencySummary
        var readyMs: LatencySummary
        var readyDurableMs: DurableCurve
        var startedDurableMs: DurableCurve
        var loaCPU: CPUSplit
        var rawCPU: CPUSplit
        /// CPU seconds per second of the deployment at rest (leases, refreshes), read
        /// before the emergency; and each phase's CPU less that rate times its length:
        /// what the emergency itself cost.
        var idleCPUPerSecond: CPUSplit
        var loaCPUBeyondIdle: CPUSplit
        var rawCPUBeyondIdle: CPUSplit
        var rawAllEventsMs: Double?
        var rawReadyMs: LatencySummary
        var refused: Int
        var controllerPeakRSSMiB: [Double]
    }

    /// When a share of the receivers' events was durable: polled on the database.
    struct DurableCurve: Encodable {
        var p50: Double?
        var p99: Double?
        var all: Double?
        var count: Int
    }

    /// CPU seconds by part during a phase, and per receiver (ms).
    struct CPUSplit: Encodable {
        var controllers: Double
        var brokers: Double
        /// PostgreSQL, less `databaseServingBench`.
        var database: Double
        /// PostgreSQL serving this process's own connections (its polling), left out of `database`.
        var databaseServingBench: Double
        var bench: Double
        var perReceiverMs: Double

        /// The controllers' and brokers' CPU alone, the database and this process left out
        /// on both sides: the issue's measure of the fan-out (goal ≤ 1.5× raw).
        var controllersAndBrokers: Double { controllers + brokers }
    }

    func run() async throws {
        guard ["postgres", "sqlite"].contains(engine) else { throw ValidationError("--engine: postgres or sqlite") }
        let controllers = self.controllers ?? (engine == "postgres" ? 2 : 1)
        guard engine == "postgres" || controllers == 1 else {
            throw ValidationError("on SQLite a commune's file has one controller: --controllers 1")
        }
        guard communes > 0, hamlets > 0, receivers >= communes, brokers > 0, controllers > 0 else {
            throw ValidationError("give positive numbers, and at least one receiver per commune")
        }
        let perCommune = receivers / communes
        let receivers = perCommune * communes
        let workers = try FleetWorkers.processes(for: receivers, requested: processes).count
        let loa = try BenchOutput.siblingExecutable("loa")
        let machine = MachineFacts.current()
        let setupStart = ContinuousClock.now
        print("setting up: \(engine), \(brokers) brokers, \(communes) communes × \(hamlets) hamlets, \(controllers) controller processes…")
        let rig = try await ProvinceRig(
            communes: communes, hamlets: hamlets, brokers: brokers, controllers: controllers, postgres: engine == "postgres")
        do {
            let output = try await measure(
                rig: rig, loa: loa, controllers: controllers, receivers: receivers, perCommune: perCommune, workers: workers,
                machine: machine, setupStart: setupStart)
            await rig.stop()
            print(output.report)
            print(try BenchOutput.jsonLine(output))
        } catch {
            await rig.stop(keepingFolder: true)
            print("failed; the controllers' logs: \(rig.folder.url.path) (kept)")
            throw error
        }
    }

    private func measure(
        rig: ProvinceRig, loa: String, controllers: Int, receivers: Int, perCommune: Int, workers: Int, machine: MachineFacts,
        setupStart: ContinuousClock.Instant
    ) async throws -> Output {
        try await rig.seedSchedules()
        let sender: any EmergencySender
        if let postgres = rig.postgres {
            let province = PostgresProvince(database: postgres.pool)
            let desk = ProvinceDeskSender(
                province: province, people: try await ProvincePeople.add(to: province), communes: rig.communes.map(\.site.id))
            sender = desk
            try await rig.startControllers(loa, count: controllers, poolSize: pool)
            try await desk.prepare()
        } else {
            try await rig.startControllers(loa, count: controllers, poolSize: pool)
            sender = CommuneDesksSender(desks: try rig.communes.map { commune in
                var readOnly = Configuration()
                readOnly.readonly = true
                return CommuneDesksSender.Desk(
                    site: ProvinceRig.settings(of: commune.site), hamlets: commune.site.hamlets.map { ScheduleHamlet(id: $0.id, name: $0.name) },
                    api: "http://127.0.0.1:\(commune.ports[0])", officer: commune.officer, approvers: commune.approvers,
                    database: try DatabaseQueue(path: commune.dataDirectory.appendingPathComponent("loa.sqlite").path, configuration: readOnly))
            })
        }
        print("controllers serve every commune; connecting \(receivers) receivers in \(workers) worker process(es)…")

        let planFile = rig.folder.path("plan.json")
        try rig.plan(receiversPerCommune: perCommune, itemPrefix: sender.itemPrefix).write(to: planFile)
        let tally = ProvinceTally(receivers: receivers)
        let fleet = try FleetWorkers(receivers: receivers, processes: workers, tally: tally) { [fetches] first, count in
            ["province-worker", "--plan", planFile.path, "--first", "\(first)", "--count", "\(count)", "--fetches", "\(fetches)"]
        }
        defer { fleet.stop() }
        _ = try await fleet.waitUntilReady(timeout: .seconds(600))
        let raw = try await RawSide(brokers: rig.brokers.map(\.port), tally: tally)
        defer { Task { await raw.close() } }
        let setupSeconds = BenchOutput.milliseconds(ContinuousClock.now - setupStart) / 1000
        try await Task.sleep(for: .seconds(3))  // the documents retained at start have reached everyone

        // Loa: the emergency sent (PostgreSQL: the province's second approval; SQLite: each
        // commune's officer and approvers at once), timed from that moment.
        let settled = try await rig.waitUntilLeasesSettle()
        print(String(format: "the controllers' leases settled (%.0f s)", BenchOutput.milliseconds(settled) / 1000))
        let meters = ProvinceMeters(rig: rig)
        // At rest: what the controllers, brokers and database spend with nothing to do.
        let restStart = ContinuousClock.now, restBefore = meters.read()
        try await Task.sleep(for: .seconds(10))
        var idlePerSecond = (meters.read() - restBefore) * (1 / BenchOutput.milliseconds(ContinuousClock.now - restStart) * 1000)
        idlePerSecond.bench = 0  // this process at rest is the meter reading itself, not a rate to take off
        let loaStart = ContinuousClock.now
        tally.begin()
        let before = meters.read()
        let start = MonotonicTime.now()
        let sending = Task { try await sender.send(startingAt: start) }
        print("sent; waiting for every receiver's proof of play…")
        var ready = DurableWatch(receivers: receivers), started = DurableWatch(receivers: receivers)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var takenUpMs: [Double] = []
        while ContinuousClock.now < deadline {
            let reach = try await sender.reach(since: start)
            takenUpMs = reach.takenUpMs
            let now = MonotonicTime.milliseconds(from: start, to: MonotonicTime.now())
            ready.observe(reach.ready, at: now)
            started.observe(reach.started, at: now)
            if started.count == receivers, ready.count == receivers, tally.fetchedCount == receivers { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        try await sending.value
        let loaUsed = meters.read() - before
        let loaSeconds = BenchOutput.milliseconds(ContinuousClock.now - loaStart) / 1000
        let times = tally.times(since: start)
        let peaks = rig.controllerPIDs.map { Double(ProcessSample.peakResidentKiB(pid: $0) ?? 0) / 1024 }

        // Raw: the same bytes down, the same audio fetched, the same events up.
        let first = rig.communes[0]
        let sample = try await raw.retainedDocument(
            broker: first.broker, site: first.site.id, hamlet: first.site.hamlets[0].id, key: first.key.verifier)
        let audioBytes = sample.schedule.items.first { $0.id.hasPrefix(sender.itemPrefix) }?.media.bytes ?? 0
        tally.begin()
        let rawBefore = meters.read(), rawClock = ContinuousClock.now
        let rawStart = MonotonicTime.now()
        try await raw.publish(sample.sealed, to: rig.communes.map { (broker: $0.broker, site: $0.site.id, hamlets: $0.site.hamlets.map(\.id)) })
        let rawDeadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while tally.rawEvents < 2 * receivers || tally.fetchedCount < receivers, ContinuousClock.now < rawDeadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let rawAll = tally.rawEvents == 2 * receivers ? MonotonicTime.milliseconds(from: rawStart, to: MonotonicTime.now()) : nil
        let rawUsed = meters.read() - rawBefore
        let rawSeconds = BenchOutput.milliseconds(ContinuousClock.now - rawClock) / 1000
        let rawTimes = tally.times(since: rawStart)

        return Output(
            command: BenchOutput.commandLine, machine: machine, engine: engine, communes: communes, hamlets: hamlets, receivers: receivers,
            brokers: brokers, controllers: controllers, workers: workers, audioBytes: audioBytes, documentBytes: sample.sealed.count, setupSeconds: setupSeconds,
            takeUpMs: LatencySummary(takenUpMs),
            documentMs: LatencySummary(times.verified), readyMs: LatencySummary(times.fetched),
            readyDurableMs: ready.curve, startedDurableMs: started.curve,
            loaCPU: loaUsed.split(receivers: receivers, counting: \.database),
            rawCPU: rawUsed.split(receivers: receivers, counting: \.bench),
            idleCPUPerSecond: idlePerSecond.split(receivers: 1, counting: \.database),
            loaCPUBeyondIdle: (loaUsed - idlePerSecond * loaSeconds).split(receivers: receivers, counting: \.database),
            rawCPUBeyondIdle: (rawUsed - idlePerSecond * rawSeconds).split(receivers: receivers, counting: \.bench),
            rawAllEventsMs: rawAll, rawReadyMs: LatencySummary(rawTimes.fetched), refused: tally.refused,
            controllerPeakRSSMiB: peaks)
    }
}

/// The province's three people of the two-person rule.
struct ProvincePeople {
    var officer: ProvinceUser
    var deputy: ProvinceUser
    var chief: ProvinceUser

    static func add(to province: PostgresProvince) async throws -> ProvincePeople {
        let people = ProvincePeople(
            officer: ProvinceUser(name: "so-ttt", displayName: "Sở Thông tin và Truyền thông", roles: [.officer]),
            deputy: ProvinceUser(name: "pho-chu-tich-tinh", displayName: "Phó Chủ tịch UBND tỉnh", roles: [.approver]),
            chief: ProvinceUser(name: "chanh-van-phong", displayName: "Chánh Văn phòng UBND tỉnh", roles: [.approver]))
        for user in [people.officer, people.deputy, people.chief] {
            try await province.addProvinceUser(user, password: "Bão số chín \(UUID().uuidString)", at: Date())
        }
        return people
    }
}

/// How many receivers' events are durable, polled: when half, 99 % and all of them were.
struct DurableWatch {
    let receivers: Int
    private(set) var count = 0
    private var half: Double?, most: Double?, all: Double?

    init(receivers: Int) { self.receivers = receivers }

    mutating func observe(_ count: Int, at milliseconds: Double) {
        self.count = count
        if half == nil, count * 2 >= receivers { half = milliseconds }
        if most == nil, count * 100 >= receivers * 99 { most = milliseconds }
        if all == nil, count >= receivers { all = milliseconds }
    }

    var curve: ProvinceBenchmark.DurableCurve { .init(p50: half, p99: most, all: all, count: count) }
}

/// CPU seconds of the controller processes, the brokers, PostgreSQL and this process.
struct ProvinceMeters {
    let rig: ProvinceRig

    struct Reading {
        var controllers: Double
        var brokers: Double
        /// PostgreSQL, less what it spent serving this process's own connections.
        var database: Double
        var databaseServingBench: Double
        var bench: Double

        static func * (reading: Reading, factor: Double) -> Reading {
            Reading(
                controllers: reading.controllers * factor, brokers: reading.brokers * factor, database: reading.database * factor,
                databaseServingBench: reading.databaseServingBench * factor, bench: reading.bench * factor)
        }

        static func - (lhs: Reading, rhs: Reading) -> Reading {
            Reading(
                controllers: lhs.controllers - rhs.controllers, brokers: lhs.brokers - rhs.brokers,
                database: lhs.database - rhs.database, databaseServingBench: lhs.databaseServingBench - rhs.databaseServingBench,
                bench: lhs.bench - rhs.bench)
        }

        /// The split, and per receiver the controllers' and brokers' CPU plus `extra`
        /// (the database for Loa; this process, the raw publisher and collector, for raw).
        func split(receivers: Int, counting extra: KeyPath<Reading, Double>) -> ProvinceBenchmark.CPUSplit {
            .init(
                controllers: controllers, brokers: brokers, database: database, databaseServingBench: databaseServingBench, bench: bench,
                perReceiverMs: (controllers + brokers + self[keyPath: extra]) * 1000 / Double(receivers))
        }
    }

    func read() -> Reading {
        let postgres = rig.postgresCPUSeconds()
        return Reading(
            // With their children's: text-to-speech runs as a child process of the controller.
            controllers: rig.controllerPIDs.map { ProcessSample.cpuSecondsWithReapedChildren(pid: $0) ?? 0 }.reduce(0, +),
            brokers: rig.brokers.map { ProcessSample.cpuSeconds(pid: $0.processID) ?? 0 }.reduce(0, +),
            database: postgres.all - postgres.servingBench, databaseServingBench: postgres.servingBench,
            bench: ProcessSample.cpuSeconds(pid: getpid()) ?? 0)
    }
}

extension ProvinceBenchmark.Output {
    /// The figures as a person reads them.
    var report: String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%8.0f", $0) } ?? "       —" }
        func row(_ name: String, _ p50: Double?, _ p99: Double?, _ all: Double?) -> String {
            name.padding(toLength: 58, withPad: " ", startingAt: 0) + "\(ms(p50)) \(ms(p99)) \(ms(all))"
        }
        func cpu(_ name: String, _ split: ProvinceBenchmark.CPUSplit, extra: String, _ value: Double) -> String {
            String(format: "%@ controllers %.1f + brokers %.1f + %@ %.1f CPU-s = %.2f ms per receiver (database %.1f, this process %.1f; left out: PostgreSQL serving this process's polling %.1f)",
                   name, split.controllers, split.brokers, extra, value, split.perReceiverMs, split.database, split.bench, split.databaseServingBench)
        }
        var lines = [
            "", command, BenchOutput.machineLine(machine),
            "\(communes) communes × \(hamlets) hamlets, \(receivers) receivers (\(receivers / communes) per commune) in \(workers) worker process(es); "
                + "\(controllers) loa controller process(es) each serving every commune, "
                + (engine == "postgres" ? "on one PostgreSQL" : "each commune on its own SQLite file")
                + "; \(brokers) Mosquitto brokers, communes pinned round-robin",
            "the emergency's audio: \(audioBytes) bytes (eSpeak NG, read once per controller process and stored in each commune's media); a hamlet's document: \(documentBytes) bytes; set up in \(String(format: "%.0f", setupSeconds)) s",
            "",
            (engine == "postgres" ? "ms from the second province approval" : "ms from the first request of the communes' officers")
                .padding(toLength: 58, withPad: " ", startingAt: 0) + "     p50      p99      all",
            engine == "postgres"
                ? row("commune took it up (on the province's notice)", takeUpMs.p50, takeUpMs.p99, takeUpMs.max)
                : row("commune's apply and two approvals answered (its API)", takeUpMs.p50, takeUpMs.p99, takeUpMs.max),
            row("receiver verified its hamlet's document", documentMs.p50, documentMs.p99, documentMs.max),
            row("receiver fetched and checked the audio: ready to play", readyMs.p50, readyMs.p99, readyMs.max),
            row("ready stored durably in its commune's log (polled 4/s)", readyDurableMs.p50, readyDurableMs.p99, readyDurableMs.all),
            row("started (proof of play) stored durably (polled 4/s)", startedDurableMs.p50, startedDurableMs.p99, startedDurableMs.all),
            String(format: "receivers: %d documents, %d ready, %d ready and %d started durable; refused or failed: %d",
                   documentMs.count, readyMs.count, readyDurableMs.count, startedDurableMs.count, refused),
            "",
            cpu("Loa:", loaCPU, extra: "database", loaCPU.database),
            cpu("raw:", rawCPU, extra: "publisher/collector", rawCPU.bench),
            String(format: "Loa / raw, CPU of controllers and brokers per receiver (+ database / + raw publisher): %.2f×",
                   loaCPU.perReceiverMs / max(rawCPU.perReceiverMs, 1e-9)),
            String(format: "Loa / raw, controllers and brokers only (databases and publishers on neither side): %.2f×",
                   loaCPU.controllersAndBrokers / max(rawCPU.controllersAndBrokers, 1e-9)),
            String(format: "at rest, before: controllers %.2f + brokers %.2f + database %.2f CPU-s per second (leases, refreshes), whatever is sent",
                   idleCPUPerSecond.controllers, idleCPUPerSecond.brokers, idleCPUPerSecond.database),
            cpu("Loa beyond rest:", loaCPUBeyondIdle, extra: "database", loaCPUBeyondIdle.database),
            cpu("raw beyond rest:", rawCPUBeyondIdle, extra: "publisher/collector", rawCPUBeyondIdle.bench),
            String(format: "Loa / raw, what the emergency itself cost per receiver (beyond rest): %.2f×",
                   loaCPUBeyondIdle.perReceiverMs / max(rawCPUBeyondIdle.perReceiverMs, 1e-9)),
            String(format: "raw: every receiver's audio fetched in %@ ms, every event back in %@ ms",
                   ms(rawReadyMs.count == receivers ? rawReadyMs.max : nil).trimmingCharacters(in: .whitespaces),
                   ms(rawAllEventsMs).trimmingCharacters(in: .whitespaces)),
            "controllers' peak RSS: " + controllerPeakRSSMiB.map { String(format: "%.0f MiB", $0) }.joined(separator: ", "),
        ]
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
