import ArgumentParser
import Foundation
import LoaController
import LoaProtocol
import LoaStore
import LoaTransparency

/// `loa log verify`: recomputes the log's chain and tree from a database file and
/// checks every checkpoint; names the first entry that does not match.
struct LogVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Kiểm chứng nhật ký không bị sửa, xóa, chèn, đảo (verify nothing was edited, removed, inserted or reordered).")

    @Option(help: "The controller's data folder (holds loa.sqlite), or a copy of it")
    var data: String
    @Option(help: "The controller's verifier key (name+keyid+key, from GET /log/key); read from the data folder's controller.key when absent")
    var key: String?
    @Option(help: "A checkpoint you kept from before (signed note file); repeat for several. Catches a roll-back to an older copy.")
    var checkpoint: [String] = []

    func run() async throws {
        let keys = try [verifierKey()]
        let witnessed = try checkpoint.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let report = try LogAudit.verify(
            databaseAt: URL(fileURLWithPath: data).appendingPathComponent("loa.sqlite").path, keys: keys, witnessed: witnessed)
        print("Nhật ký / log: \(report.entries) mục (entries), gốc / root \(report.root.base64EncodedString())")
        print("Điểm kiểm chứng / checkpoints checked: \(report.checkpoints.count), khóa / key \(keys[0].text)")
        if report.isIntact {
            print("HỢP LỆ / INTACT: every entry is covered by a signed checkpoint and nothing was changed.")
            return
        }
        print("KHÔNG HỢP LỆ / NOT INTACT: \(report.problemCount) problem(s)")
        for problem in report.problems.prefix(10) { print("  - \(problem)") }
        throw ExitCode(2)
    }

    private func verifierKey() throws -> VerifierKey {
        if let key { return try VerifierKey(text: key) }
        let file = URL(fileURLWithPath: data).appendingPathComponent("controller.key")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ValidationError("give --key (the controller's verifier key, from GET /log/key)")
        }
        // On the controller itself: derive the public key from its key file. The
        // name comes from the stored checkpoints' origin.
        let origin = try LogAudit.origin(databaseAt: URL(fileURLWithPath: data).appendingPathComponent("loa.sqlite").path)
        return try SigningKey.loadOrCreate(name: origin ?? "loa", at: file).verifier
    }
}

/// `loa log prove ENTRY`: the inclusion proof of an entry against the latest checkpoint.
struct LogProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove", abstract: "Bằng chứng một mục có trong nhật ký (inclusion proof of an entry).")

    @Argument(help: "The entry's index in the log (from 0)")
    var entry: UInt64
    @Option(help: "Controller settings file; gives the address")
    var config: String?
    @Option(help: "Controller address (instead of --config)")
    var controller: String?

    func run() async throws {
        var base = controller
        if let config {
            let settings = try ControllerConfiguration.load(from: config)
            base = base ?? "http://\(settings.http.host):\(settings.http.port)"
        }
        guard let base, let url = URL(string: "\(base)/log/proof/inclusion/\(entry)") else {
            throw ValidationError("give --config CONTROLLER.json or --controller URL")
        }
        let data = try await PublicFetch.get(url)
        let proof = try JSONDecoder().decode(InclusionProof.self, from: data)
        print(String(decoding: data, as: UTF8.self))
        print(proof.isValid ? "Bằng chứng hợp lệ / the proof verifies against its root" : "BẰNG CHỨNG SAI / the proof does NOT verify")
        if !proof.isValid { throw ExitCode(2) }
    }
}
