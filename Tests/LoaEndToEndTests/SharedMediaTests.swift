import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaStore
import Testing

/// Two controllers of one commune on one PostgreSQL database, each with its own data
/// folder, as on two machines without shared storage: audio uploaded to one is served
/// by the other, which takes the bytes from the database the first time a receiver asks.
@Suite("Media on the shared database")
struct SharedMediaTests {
    @Test("audio uploaded to one controller is served whole, by range and by chunk list from the other, which had no file of it")
    func servedByTheOtherController() async throws {
        let (folder, uploadedTo, other) = try await twoControllers()
        defer { folder.remove() }

        // Audio of its own (the sample with its last byte changed): what this process
        // already serves from memory (`MediaInMemory`, other tests' sample) is not fetched
        // from the database into a folder.
        var audio = try sampleAudio("thong-bao-mau.wav")
        audio[audio.count - 1] ^= 0x01
        let media = try await uploadedTo.controller.media.addAudio(audio)
        let file = other.controller.media.files.url(for: media.sha256)
        #expect(!FileManager.default.fileExists(atPath: file.path), "the data folders are apart")

        let device = "thon-a-01"
        func get(_ path: String, range: String? = nil) async throws -> (Int, Data) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(other.httpPort)\(path)")!)
            request.setValue("Bearer \(device):\(other.controller.mediaAccess.token(for: device))", forHTTPHeaderField: "Authorization")
            if let range { request.setValue(range, forHTTPHeaderField: "Range") }
            let (body, response) = try await LoopbackHTTP.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
        }
        let (status, whole) = try await get("/media/\(media.sha256)")
        #expect(status == 200 && whole == audio)
        #expect(FileManager.default.fileExists(atPath: file.path), "kept in its own folder from then on")
        let (partial, part) = try await get("/media/\(media.sha256)", range: "bytes=100-199")
        #expect(partial == 206 && part == audio[100..<200])
        let (listed, list) = try await get("/media/\(media.sha256)/chunks")
        #expect(listed == 200)
        let chunks = try WireCoding.decode(MediaChunkList.self, from: list)
        #expect(chunks.hashes.count == (audio.count + chunks.size - 1) / chunks.size && chunks.hashes.count > 1)

        // Media recorded for no commune of this database stays unknown, whatever the hash.
        let (missing, _) = try await get("/media/\(String(repeating: "0", count: 64))")
        #expect(missing == 404)
        await uploadedTo.stop()
        await other.stop()
    }

    @Test("files stored before the database kept copies are copied into it (as each start does), once; a file not matching its name is not; the other controller then serves them")
    func folderCopiedAtStart() async throws {
        let (folder, older, other) = try await twoControllers()
        defer { folder.remove() }

        // As an older controller left them: in the folder and the catalog, not in the database.
        let audio = try sampleAudio("thong-bao-mau.wav")
        let sha256 = MediaDigest.sha256(audio)
        try audio.write(to: older.controller.media.files.url(for: sha256))
        let damagedName = MediaDigest.sha256(Data("khác".utf8))
        try audio.write(to: older.controller.media.files.url(for: damagedName))
        for name in [sha256, damagedName] {
            try await older.controller.store.saveMedia(
                MediaReference(sha256: name, bytes: audio.count, contentType: "audio/wav", durationMs: 1000), at: Date())
        }
        #expect(await other.controller.media.bytes(sha256: sha256) == nil, "not in the database yet")

        #expect(try await older.controller.media.copyFolderToDatabase() == 1)
        #expect(try await older.controller.media.copyFolderToDatabase() == 0, "once")
        // Many receivers asking at once, as for an emergency: each gets the whole file.
        let answers = await withTaskGroup(of: Data?.self) { group in
            for _ in 0..<20 { group.addTask { await other.controller.media.bytes(sha256: sha256) } }
            return await group.reduce(into: [Data?]()) { $0.append($1) }
        }
        #expect(answers.count == 20 && answers.allSatisfy { $0 == audio })
        #expect(await other.controller.media.bytes(sha256: damagedName) == nil)
        await older.stop()
        await other.stop()
    }

    /// Two controllers of the test commune on one new PostgreSQL database, each with its
    /// own data folder; the folder holding the database's password file.
    private func twoControllers() async throws -> (TemporaryDirectory, Commune, Commune) {
        let folder = try TemporaryDirectory(prefix: "loa-shared-media")
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        return (folder, try await Commune(store: store), try await Commune(store: store))
    }
}
