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

    func inode(_ url: URL) throws -> UInt64 {
        var status = stat()
        try #require(stat(url.path, &status) == 0, "\(url.path) exists")
        return UInt64(status.st_ino)
    }

    @Test("a copy of bytes another file holds is that file under a second name; other bytes, a missing file or one on another filesystem are written instead")
    func sameAs() throws {
        let directory = try TemporaryDirectory(prefix: "loa-durable")
        defer { directory.remove() }
        let wav = Data((0..<4096).map { UInt8($0 % 251) })
        let original = directory.path("speech.wav")
        try DurableFile.write(wav, to: original)

        let copy = directory.path("media-copy")
        try DurableFile.write(wav, to: copy, sameAs: original)
        #expect(try inode(copy) == inode(original), "one file, two names: nothing written twice")
        #expect(try Data(contentsOf: copy) == wav)
        // Replacing either name leaves the other as it was.
        let other = Data((0..<4096).map { UInt8($0 % 13) })
        let otherOriginal = directory.path("other.wav")
        try DurableFile.write(other, to: otherOriginal)
        try DurableFile.write(other, to: copy, sameAs: otherOriginal)
        #expect(try Data(contentsOf: copy) == other && (try inode(copy)) == (try inode(otherOriginal)))
        #expect(try Data(contentsOf: original) == wav)
        try DurableFile.write(Data("khác".utf8), to: copy, sameAs: original)
        #expect(try Data(contentsOf: copy) == Data("khác".utf8), "bytes of another size are written")
        #expect(try Data(contentsOf: otherOriginal) == other)

        // The other file is not the bytes asked for (cut short, or as long but changed): they are written.
        let truncated = directory.path("truncated.wav")
        try DurableFile.write(wav.prefix(100), to: truncated)
        var changed = wav
        changed[2000] ^= 0xFF
        let changedFile = directory.path("changed.wav")
        try DurableFile.write(changed, to: changedFile)
        for other in [truncated, changedFile] {
            let second = directory.path("second-copy")
            try DurableFile.write(wav, to: second, sameAs: other)
            #expect(try inode(second) != inode(other))
            #expect(try Data(contentsOf: second) == wav)
        }

        let third = directory.path("third-copy")
        try DurableFile.write(wav, to: third, sameAs: directory.path("gone.wav"))
        #expect(try Data(contentsOf: third) == wav)

        // Another filesystem (tmpfs), where a hard link cannot reach.
        var here = stat(), shm = stat()
        if stat(directory.url.path, &here) == 0, stat("/dev/shm", &shm) == 0, here.st_dev != shm.st_dev {
            let elsewhere = URL(fileURLWithPath: "/dev/shm/loa-durable-\(UUID().uuidString).wav")
            try DurableFile.write(wav, to: elsewhere)
            defer { try? FileManager.default.removeItem(at: elsewhere) }
            let fourth = directory.path("fourth-copy")
            try DurableFile.write(wav, to: fourth, sameAs: elsewhere)
            #expect(try Data(contentsOf: fourth) == wav)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix(".") }.isEmpty,
                "no temporary file is left")
    }

    @Test("a file that cannot be written names the file and the step")
    func failure() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-loa-folder/memory.json")
        #expect(throws: FileError(.write, path: missing.path, step: "create", reason: "No such file or directory")) {
            try DurableFile.write(Data(), to: missing)
        }
    }
}

