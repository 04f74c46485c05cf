import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaPostgresStore
import LoaStore
import LoaTransparency

/// `loa log verify`: recomputes the log's chain and tree from a database file (or,
/// with `--config` naming a PostgreSQL store, the commune's rows) and checks every
/// checkpoint; names the first entry that does not match.
struct LogVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Kiểm chứng nhật ký không bị sửa, xóa, chèn, đảo (verify nothing was edited, removed, inserted or reordered).")

    @Option(help: "The controller's data folder (holds loa.sqlite), or a copy of it")
    var data: String?
    @Option(help: "The controller's settings file instead of --data: its data folder, or its PostgreSQL store and site")
    var config: String?
    @Option(help: "A verifier key of the controller (name+keyid+key, from GET /log/keys); repeat for each key since a rotation. Read from the data folder's keys.json and controller.key (on PostgreSQL: the database) when absent")
    var key: [String] = []
    @Option(help: "A checkpoint you kept from before (signed note file); repeat for several. Catches a roll-back to an older copy.")
    var checkpoint: [String] = []

    func run() async throws {
        let settings = try config.map { try ControllerConfiguration.load(from: $0) }
        guard let data = data ?? settings?.dataDirectory else { throw ValidationError("give --data FOLDER or --config CONTROLLER.json") }
        let witnessed = try checkpoint.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let report: LogVerificationReport, keys: [VerifierKey]
        if let settings, let connection = try settings.postgresConnection() {
            keys = key.isEmpty ? try await databaseKeys(settings) : try key.map { try VerifierKey(text: $0) }
            report = try await PostgresStore.verifyLog(connection: connection, site: settings.site.id, keys: keys, witnessed: witnessed)
            print("Cơ sở dữ liệu / database: PostgreSQL \(connection.host):\(connection.port)/\(connection.database), xã / site \(settings.site.id)")
        } else {
            let path = URL(fileURLWithPath: data).appendingPathComponent("loa.sqlite").path
            keys = try verifierKeys(data: data, origin: try LogAudit.origin(databaseAt: path))
            report = try LogAudit.verify(databaseAt: path, keys: keys, witnessed: witnessed)
        }
        print("Nhật ký / log: \(report.entries) mục (entries), gốc / root \(report.root.base64EncodedString())")
        print("Điểm kiểm chứng / checkpoints checked: \(report.checkpoints.count), khóa / keys:")
        for key in keys { print("  \(key.text)") }
        if report.isIntact {
            print("HỢP LỆ / INTACT: every entry is covered by a signed checkpoint and nothing was changed.")
            return
        }
        print("KHÔNG HỢP LỆ / NOT INTACT: \(report.problemCount) problem(s)")
        for problem in report.problems.prefix(10) { print("  - \(problem)") }
        throw ExitCode(2)
    }

    /// The public history of the commune's keys kept in the database.
    private func databaseKeys(_ settings: ControllerConfiguration) async throws -> [VerifierKey] {
        let site = settings.site.id
        let history = try await settings.withStoreDatabase { database in
            guard let database else { return [ControllerKeyRecord]() }
            return try await DatabaseKeyVault.history(in: PostgresCommuneRecords(database: database, site: site))
        }
        guard !history.isEmpty else { throw ValidationError("the database holds no keys of \(site) yet; give --key") }
        return try history.map { try $0.verifierKey() }
    }

    /// The keys given, or else those of the data folder; `origin` names the key in force (the checkpoints' origin).
    private func verifierKeys(data: String, origin: String?) throws -> [VerifierKey] {
        if !key.isEmpty { return try key.map { try VerifierKey(text: $0) } }
        let folder = URL(fileURLWithPath: data)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("controller.key").path) else {
            throw ValidationError("give --key (the controller's verifier keys, from GET /log/keys)")
        }
        // On the controller itself: the public history of keys, and the key in force
        // derived from its key file, named as the stored checkpoints' origin.
        var keys = try ControllerKeyFiles(directory: folder, name: "").history().map { try $0.verifierKey() }
        let origin = origin ?? keys.last?.name ?? "loa"
        let current = try SigningKey.loadOrCreate(name: origin, at: folder.appendingPathComponent("controller.key")).verifier
        if !keys.contains(current) { keys.append(current) }
        return keys
    }
}

/// The controller whose public log endpoints a command reads.
struct PublicLogAddress: ParsableArguments {
    @Option(help: "Controller settings file; gives the address")
    var config: String?
    @Option(help: "Controller address (instead of --config)")
    var controller: String?

    /// `{controller}/log/{path}`.
    func url(_ path: String) throws -> URL {
        var base = controller
        if let config {
            let settings = try ControllerConfiguration.load(from: config)
            base = base ?? settings.httpAddress
        }
        guard let base, let url = URL(string: "\(base)/log/\(path)") else {
            throw ValidationError("give --config CONTROLLER.json or --controller URL")
        }
        return url
    }

    /// Fetches a proof, prints it and whether it verifies; exits 2 when it does not.
    func check<Proof: Decodable>(_ path: String, as type: Proof.Type, isValid: (Proof) -> Bool) async throws {
        let data = try await PublicFetch.get(try url(path))
        let proof = try JSONDecoder().decode(type, from: data)
        print(String(decoding: data, as: UTF8.self))
        let valid = isValid(proof)
        print(valid ? "Bằng chứng hợp lệ / the proof verifies" : "BẰNG CHỨNG SAI / the proof does NOT verify")
        if !valid { throw ExitCode(2) }
    }
}

/// `loa log prove ENTRY`: the inclusion proof of an entry against the latest checkpoint.
struct LogProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove", abstract: "Bằng chứng một mục có trong nhật ký (inclusion proof of an entry).")

    @Argument(help: "The entry's index in the log (from 0)")
    var entry: UInt64
    @OptionGroup var address: PublicLogAddress
    @Option(help: "The controller's verifier key: also check that the proof's root is the one its checkpoint signs")
    var key: String?

    func run() async throws {
        let keys = try key.map { [try VerifierKey(text: $0)] }
        try await address.check("proof/inclusion/\(entry)", as: InclusionProof.self) { proof in
            guard proof.isValid else { return false }
            guard let keys else { return true }
            guard let note = proof.checkpoint, let checkpoint = try? Checkpoint.open(note, keys: keys) else { return false }
            return checkpoint.rootHash == proof.root && checkpoint.size == proof.size
        }
    }
}

/// `loa log consistency OLD NEW`: the proof that the log of OLD entries is a prefix of the log of NEW.
struct LogConsistencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Bằng chứng nhật ký chỉ được nối thêm (consistency proof between two checkpoint sizes).")

    @Argument(help: "The older checkpoint's size") var old: UInt64
    @Argument(help: "The newer checkpoint's size") var new: UInt64
    @OptionGroup var address: PublicLogAddress

    func run() async throws {
        try await address.check("proof/consistency?from=\(old)&to=\(new)", as: ConsistencyProof.self) { $0.isValid }
    }
}
