import ArgumentParser
import Foundation
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Synchronization

/// `loa-bench ingest`: events appended per second to the controller's log,
/// durable (SQLite WAL on disk, synchronous=FULL; or `--engine postgres`: a
/// PostgreSQL server started here, fsync and synchronous_commit on), each with its chain hash,
/// tree update and the re-signed head checkpoint, at several batch sizes, while a
/// reader takes consistency proofs of the log as an auditor would (how long each
/// waits); then the size and time of an inclusion proof in a log of a million entries.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Durable log append rate at batch sizes, and proof size and time at 1,000,000 entries.")

    @Option(help: "Batch sizes, comma-separated") var batchSizes = "1,100,1000"
    @Option(help: "Seconds to append for at each batch size (at least one batch)") var seconds = 10.0
    @Option(help: "Folder for the databases (on the disk to measure); a temporary folder when absent") var directory: String?
    @Option(help: "Entries of the in-memory log for the proof figures") var proofEntries = 1_000_000
    @Option(help: "Inclusion proofs to time") var proofs = 10_000
    @Option(help: "The store engine: sqlite, or postgres (Debian's PostgreSQL started here, as the tests do)")
    var engine = "sqlite"

    struct IngestFigure: Encodable {
        var batchSize: Int
        var events: Int
        var seconds: Double
        var eventsPerSecond: Double
        var millisecondsPerBatch: Double
        /// A reader's consistency proofs taken meanwhile, and their time (median, 99th percentile).
        var readerProofs: Int
        var readerMedianMicroseconds: Double
        var readerP99Microseconds: Double
    }

    struct ProofFigure: Encodable {
        var entries: Int
        var buildSeconds: Double
        var hashes: Int
        var bytes: Int
        var jsonBytes: Int
        var microsecondsPerProof: Double
        var microsecondsPerVerification: Double
        var consistencyHashes: ClosedRange<Int>
    }

    struct Output: Encodable {
        var command: String
        var machine: MachineFacts
        var fileSystem: String
        var journalMode: String
        var synchronous: Int
        var ingest: [IngestFigure]
        var proof: ProofFigure
    }

    func run() async throws {
        let sizes = batchSizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--batch-sizes: give positive whole numbers") }
        let folder = URL(fileURLWithPath: directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("loa-bench-\(UUID().uuidString.prefix(8))").path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let key = SigningKey(name: "loa.bench")

        guard ["sqlite", "postgres"].contains(engine) else { throw ValidationError("--engine: sqlite or postgres") }
        let server = engine == "postgres" ? try PostgresServer() : nil
        defer { server?.stop() }
        var figures: [IngestFigure] = []
        var settings = (journalMode: "?", synchronous: -1)
        for size in sizes {
            let path = folder.appendingPathComponent("ingest-\(size).sqlite").path
            let store: any ControllerStore
            if let server {
                var connection = PostgresStore.Connection(
                    host: "127.0.0.1", port: server.port, user: server.user, password: server.password, database: "postgres")
                try await PostgresStore.createDatabase("ingest_\(size)", on: connection)
                connection.database = "ingest_\(size)"
                store = try await PostgresStore(connection: connection, site: "xa-ha-binh", keys: ControllerKeyRing(current: key))
                settings = (journalMode: "postgres (fsync=on, synchronous_commit=on)", synchronous: 2)
            } else {
                let sqlite = try SQLiteStore(path: path, signingKey: key)
                settings = try await sqlite.durabilitySettings()
                store = sqlite
            }
            var sent = 0
            let clock = ContinuousClock()
            let reading = ReadingSwitch()
            let reader = Task.detached { try await Self.readProofs(of: store, while: reading) }
            let start = clock.now
            repeat {
                let now = Date()
                let batch = (0..<size).map { offset in (Self.event(number: sent + offset, at: now), now) }
                let stored = try await store.record(batch)
                precondition(stored.allSatisfy { $0 }, "every event of the benchmark is new")
                sent += size
            } while (clock.now - start) < .seconds(seconds)
            let elapsed = (clock.now - start).seconds
            reading.stop()
            let waits = try await reader.value.sorted()
            func percentile(_ p: Double) -> Double { waits.isEmpty ? 0 : waits[min(waits.count - 1, Int(Double(waits.count) * p))] }
            figures.append(IngestFigure(
                batchSize: size, events: sent, seconds: elapsed, eventsPerSecond: Double(sent) / elapsed,
                millisecondsPerBatch: elapsed * 1000 / Double(sent / size), readerProofs: waits.count,
                readerMedianMicroseconds: percentile(0.5), readerP99Microseconds: percentile(0.99)))
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }

        let proof = try proofFigures()
        let command = (["loa-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let output = Output(
            command: command, machine: .current(),
            fileSystem: MachineFacts.fileSystem(of: server?.directory.url.path ?? folder.path),
            journalMode: settings.journalMode, synchronous: settings.synchronous, ingest: figures, proof: proof)

        print(command)
        print("machine: \(output.machine.cpu), \(output.machine.cores) cores, \(output.machine.memoryGB) GB, \(output.machine.os)")
        if server != nil {
            print("database: PostgreSQL on \(output.fileSystem), \(settings.journalMode), one client pool on loopback")
        } else {
            print("database: \(output.fileSystem), journal_mode=\(settings.journalMode), synchronous=\(settings.synchronous) (\([0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"][settings.synchronous] ?? "?"))")
        }
        print("each append: event row + log row (leaf, chain) + tree update; per batch one transaction, one Ed25519 head signature, one fsync")
        print("")
        print("batch    events   seconds   events/s   ms/batch   reader proofs   reader µs median   p99")
        for figure in figures {
            print(String(format: "%5d  %8d  %8.2f  %9.0f  %9.3f   %13d   %16.1f   %7.1f", figure.batchSize, figure.events, figure.seconds,
                         figure.eventsPerSecond, figure.millisecondsPerBatch, figure.readerProofs,
                         figure.readerMedianMicroseconds, figure.readerP99Microseconds))
        }
        print("")
        print(String(format: "inclusion proof at %d entries: %d hashes, %d bytes (%d bytes as JSON); %.1f µs to make, %.1f µs to verify; log built in memory in %.1f s",
                     proof.entries, proof.hashes, proof.bytes, proof.jsonBytes, proof.microsecondsPerProof,
                     proof.microsecondsPerVerification, proof.buildSeconds))
        print("consistency proofs to \(proof.entries) entries: \(proof.consistencyHashes.lowerBound)–\(proof.consistencyHashes.upperBound) hashes")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }

    /// Takes consistency proofs (half the log to all of it) one after another while `reading`
    /// holds, as an auditor's requests would; returns how long each took, in microseconds.
    static func readProofs(of store: any TransparencyLogStore, while reading: ReadingSwitch) async throws -> [Double] {
        let clock = ContinuousClock()
        var waits: [Double] = []
        while reading.isOn {
            let start = clock.now
            let size = store.logSize
            guard size >= 2 else { continue }
            _ = try await store.consistencyProof(from: size / 2, to: size)
            waits.append((clock.now - start).seconds * 1e6)
        }
        return waits
    }

    /// A realistic `finished` event.
    static func event(number: Int, at: Date) -> DeviceEvent {
        DeviceEvent(
            id: UUID().uuidString.lowercased(), device: "loa-thon-\(number % 12)-1", site: "xa-ha-binh",
            zone: "thon-\(number % 12)", item: "5f0c2d9e-0b7a-4c1e-9d2f-\(String(format: "%012d", number / 4))@thon-\(number % 12)",
            kind: .finished, at: at, playedMs: 59_875)
    }

    func proofFigures() throws -> ProofFigure {
        let clock = ContinuousClock()
        var log = TransparencyLog()
        let now = Date()
        let start = clock.now
        for number in 0..<proofEntries {
            _ = log.append(LogEntryEncoding.encode(event: Self.event(number: number, at: now), receivedAt: now))
        }
        let buildSeconds = (clock.now - start).seconds
        let size = log.size
        var generator = SystemRandomNumberGenerator()
        let indices = (0..<proofs).map { _ in UInt64.random(in: 0..<size, using: &generator) }
        var made: [InclusionProof] = []
        made.reserveCapacity(indices.count)
        let proofStart = clock.now
        for index in indices { made.append(try log.inclusionProof(index: index, size: size)) }
        let proofTime = (clock.now - proofStart).seconds
        let verifyStart = clock.now
        for proof in made { precondition(proof.isValid, "a proof the log made must verify") }
        let verifyTime = (clock.now - verifyStart).seconds
        var sample = made[0]
        sample.checkpoint = try log.checkpoint(origin: "loa.bench").signed(with: SigningKey(name: "loa.bench"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let hashCounts = made.map(\.hashes.count)
        var consistency: [Int] = []
        for _ in 0..<200 {
            let old = UInt64.random(in: 1..<size, using: &generator)
            consistency.append(try log.consistencyProof(from: old, to: size).hashes.count)
        }
        return ProofFigure(
            entries: Int(size), buildSeconds: buildSeconds, hashes: hashCounts.max() ?? 0,
            bytes: (hashCounts.max() ?? 0) * LogHash.size, jsonBytes: try encoder.encode(sample).count,
            microsecondsPerProof: proofTime * 1_000_000 / Double(made.count),
            microsecondsPerVerification: verifyTime * 1_000_000 / Double(made.count),
            consistencyHashes: (consistency.min() ?? 0)...(consistency.max() ?? 0))
    }
}

/// Tells the benchmark's reader to go on or stop.
final class ReadingSwitch: Sendable {
    private let on = Atomic<Bool>(true)

    var isOn: Bool { on.load(ordering: .relaxed) }

    func stop() { on.store(false, ordering: .relaxed) }
}
