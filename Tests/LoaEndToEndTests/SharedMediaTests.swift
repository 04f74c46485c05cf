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

    @Test("a file damaged on the controller's disk is replaced by the database's copy and served right, whole and by chunk list; on SQLite, with no copy, it is answered 503, never served")
    func damagedFileReplaced() async throws {
        let (folder, uploadedTo, other) = try await twoControllers()
        defer { folder.remove() }
        // Audio of their own (bytes near the end changed): this process serves from memory
        // what it has checked once, and the files here are damaged before any fetch.
        func audio(_ mark: Int) throws -> Data {
            var audio = try sampleAudio("thong-bao-mau.wav")
            audio[audio.count - mark] ^= 0x01
            return audio
        }
        func damage(_ commune: Commune, _ sha256: String) throws {
            let file = commune.controller.media.files.url(for: sha256)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: file)
        }
        func get(_ commune: Commune, _ path: String) async throws -> (Int, Data) {
            let device = "thon-a-01"
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(commune.httpPort)\(path)")!)
            request.setValue("Bearer \(device):\(commune.controller.mediaAccess.token(for: device))", forHTTPHeaderField: "Authorization")
            let (body, response) = try await LoopbackHTTP.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
        }

        let whole = try audio(2)
        let media = try await uploadedTo.controller.media.addAudio(whole)
        try damage(uploadedTo, media.sha256)
        let (status, served) = try await get(uploadedTo, "/media/\(media.sha256)")
        #expect(status == 200 && served == whole, "the database's copy, not the damaged file")
        #expect(try Data(contentsOf: uploadedTo.controller.media.files.url(for: media.sha256)) == whole, "the file is right again")

        let listed = try await uploadedTo.controller.media.addAudio(try audio(3))
        try damage(uploadedTo, listed.sha256)
        let (listStatus, list) = try await get(uploadedTo, "/media/\(listed.sha256)/chunks")
        #expect(listStatus == 200)
        #expect(try WireCoding.decode(MediaChunkList.self, from: list).hashes.count > 1)
        #expect(MediaDigest.sha256(try Data(contentsOf: uploadedTo.controller.media.files.url(for: listed.sha256))) == listed.sha256)
        await uploadedTo.stop()
        await other.stop()

        // One commune on its SQLite file: no copy to take, so the damaged bytes are not sent.
        let alone = try await Commune()
        let lone = try await alone.controller.media.addAudio(try audio(4))
        try damage(alone, lone.sha256)
        for _ in 0..<2 {
            let (refused, message) = try await get(alone, "/media/\(lone.sha256)")
            #expect(refused == 503)
            #expect(String(decoding: message, as: UTF8.self).contains("bị hỏng"), "Vietnamese first: \(String(decoding: message, as: UTF8.self))")
        }
        let (noList, _) = try await get(alone, "/media/\(lone.sha256)/chunks")
        #expect(noList == 404)
        await alone.stop()
    }

    /// Two controllers of the test commune on one new PostgreSQL database, each with its
    /// own data folder; the folder holding the database's password file.
    private func twoControllers() async throws -> (TemporaryDirectory, Commune, Commune) {
        let folder = try TemporaryDirectory(prefix: "loa-shared-media")
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        return (folder, try await Commune(store: store), try await Commune(store: store))
    }
}
