import Foundation
import Hummingbird
import LoaHarness
import LoaProtocol
import Testing

@testable import LoaController

/// Media served from memory (`MediaInMemory`): a file is kept only when it is the bytes
/// of its hash and small enough, one that is not is found so, and the memory kept never
/// passes its budget.
@Suite("Media kept in memory for serving")
struct MediaInMemoryTests {
    @Test("a file is kept as its bytes; a file that is not the bytes of its hash is found so, never kept; a file too large is streamed")
    func keptOnlyWhenRight() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-media-memory")
        defer { folder.remove() }
        let memory = MediaInMemory(budget: 1000, largest: 400)
        func file(_ name: String, _ bytes: Data) throws -> URL {
            let url = folder.path(name)
            try bytes.write(to: url)
            return url
        }
        let audio = Data((0..<300).map { UInt8($0 % 251) })
        let sha256 = MediaDigest.sha256(audio)
        guard case .kept(let kept) = await memory.bytes(sha256: sha256, file: try file("a", audio), size: audio.count) else {
            Issue.record("not kept")
            return
        }
        #expect(Data(kept.readableBytesView) == audio)
        #expect(memory.kept(sha256: sha256).map { Data($0.readableBytesView) } == audio)

        var damaged = audio
        damaged[7] ^= 0xFF
        let other = MediaDigest.sha256(Data(audio.reversed()))
        let damagedFile = try file("b", damaged)
        for _ in 0..<3 {
            guard case .notItsHash = await memory.bytes(sha256: other, file: damagedFile, size: damaged.count) else {
                Issue.record("a file that is not the bytes of its hash was not found so")
                return
            }
        }
        #expect(memory.kept(sha256: other) == nil, "bytes that are not those of their hash are never served from memory")

        let large = Data(repeating: 1, count: 401)
        guard case .notKept = await memory.bytes(sha256: MediaDigest.sha256(large), file: try file("c", large), size: large.count) else {
            Issue.record("a file too large was not left to be streamed")
            return
        }
        guard case .notKept = await memory.bytes(sha256: sha256 + "0", file: folder.path("gone"), size: 10) else {
            Issue.record("an unreadable file was not left to the file route")
            return
        }
    }

    @Test("past its budget the memory is emptied, then keeps what is fetched next")
    func budgetKept() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-media-memory")
        defer { folder.remove() }
        let memory = MediaInMemory(budget: 1000, largest: 400)
        var hashes: [String] = []
        for index in 0..<3 {
            let bytes = Data(repeating: UInt8(index), count: 400)
            let url = folder.path("\(index)")
            try bytes.write(to: url)
            hashes.append(MediaDigest.sha256(bytes))
            guard case .kept = await memory.bytes(sha256: hashes[index], file: url, size: bytes.count) else {
                Issue.record("file \(index) not kept")
                return
            }
        }
        #expect(memory.kept(sha256: hashes[0]) == nil && memory.kept(sha256: hashes[1]) == nil)
        #expect(memory.kept(sha256: hashes[2]) != nil)
    }

    @Test("fifty receivers asking at once for media not kept yet each get its bytes")
    func oneReadForMany() async throws {
        let folder = try TemporaryDirectory(prefix: "loa-media-memory")
        defer { folder.remove() }
        let memory = MediaInMemory(budget: 1 << 20, largest: 1 << 20)
        let audio = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let url = folder.path("audio")
        try audio.write(to: url)
        let sha256 = MediaDigest.sha256(audio)
        let served = await withTaskGroup(of: ByteBuffer?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    guard case .kept(let bytes) = await memory.bytes(sha256: sha256, file: url, size: audio.count) else { return nil }
                    return bytes
                }
            }
            var served: [ByteBuffer?] = []
            for await bytes in group { served.append(bytes) }
            return served
        }
        #expect(served.allSatisfy { $0.map { Data($0.readableBytesView) } == audio })
    }
}
