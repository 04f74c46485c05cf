import Foundation
import LoaFiles
import LoaHarness
import Testing

/// The one file writer: whole files, the mode kept or set, nothing left behind, and
/// a failure that names the file and the step.
@Suite("Durable file replacement")
struct DurableFileTests {
    func mode(_ url: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    @Test("a new file gets its mode; a replaced one keeps its own unless told; no temporary file is left")
    func replaces() throws {
        let directory = try TemporaryDirectory(prefix: "loa-durable")
        defer { directory.remove() }
        let file = directory.path("devices.json")
        try DurableFile.write(Data("một".utf8), to: file, mode: 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8) == "một")
        #expect(try mode(file) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try DurableFile.write(Data("hai".utf8), to: file, mode: 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8) == "hai" && (try mode(file)) == 0o640, "the old mode is kept")
        try DurableFile.write(Data("ba".utf8), to: file, mode: 0o600, exactMode: true)
        #expect(try mode(file) == 0o600, "a secret's file gets its mode whatever it had")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["devices.json"])
        #expect(try DurableFile.create(Data("bốn".utf8), at: file, mode: 0o600) == false)
        #expect(try String(contentsOf: file, encoding: .utf8) == "ba", "create leaves an existing file as it was")
    }

    @Test("of eight processes' threads making one key file at once, exactly one makes it; the file is whole, theirs, mode 0600; no temporary file is left")
    func createdOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-durable")
        defer { directory.remove() }
        let file = directory.path("secrets.key")
        let made = await withTaskGroup(of: (Bool, Data)?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let data = Data(String(repeating: "\(index)", count: 4096).utf8)
                    return (try? DurableFile.create(data, at: file, mode: 0o600)).map { ($0, data) }
                }
            }
            return await group.reduce(into: [(Bool, Data)?]()) { $0.append($1) }
        }
        #expect(made.allSatisfy { $0 != nil }, "none failed")
        let winners = made.compactMap { $0 }.filter(\.0)
        #expect(winners.count == 1)
        #expect(try Data(contentsOf: file) == winners.first?.1)
        #expect(try mode(file) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["secrets.key"])
    }

    @Test("a file that cannot be written names the file and the step")
    func failure() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-loa-folder/memory.json")
        #expect(throws: FileError(.write, path: missing.path, step: "create", reason: "No such file or directory")) {
            try DurableFile.write(Data(), to: missing)
        }
    }
}

