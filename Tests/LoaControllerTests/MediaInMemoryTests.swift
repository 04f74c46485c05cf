import Foundation
import Hummingbird
import LoaHarness
import LoaProtocol
import Logging
import Synchronization
import Testing

@testable import LoaController

/// Media served from memory (`MediaInMemory`): a file is kept only when it is the bytes
/// of its hash and small enough, and the memory kept never passes its budget.
@Suite("Media kept in memory for serving")
struct MediaInMemoryTests {
    static let logger = Logger(label: "loa.test")

    @Test("a file is kept as its bytes; a file that is not the bytes of its hash, or is too large, is not")
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
        let kept = await memory.bytes(sha256: sha256, file: try file("a", audio), size: audio.count, logger: Self.logger)
        #expect(kept.map { Data($0.readableBytesView) } == audio)
        #expect(memory.kept(sha256: sha256).map { Data($0.readableBytesView) } == audio)

        var damaged = audio
        damaged[7] ^= 0xFF
        let other = MediaDigest.sha256(Data(audio.reversed()))
        let errors = LoggedErrors()
        let logger = Logger(label: "loa.test") { _ in errors }
        let damagedFile = try file("b", damaged)
        for _ in 0..<3 { #expect(await memory.bytes(sha256: other, file: damagedFile, size: damaged.count, logger: logger) == nil) }
        #expect(memory.kept(sha256: other) == nil, "bytes that are not those of their hash are never served from memory")
        #expect(errors.messages == ["media file is not the bytes of its hash: receivers refuse it \(other)"], "said once, naming the media")

        let large = Data(repeating: 1, count: 401)
        #expect(await memory.bytes(sha256: MediaDigest.sha256(large), file: try file("c", large), size: large.count, logger: logger) == nil)
        #expect(errors.messages.count == 1, "too large is no error: it is streamed")
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
            #expect(await memory.bytes(sha256: hashes[index], file: url, size: bytes.count, logger: Self.logger) != nil)
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
            for _ in 0..<50 { group.addTask { await memory.bytes(sha256: sha256, file: url, size: audio.count, logger: Self.logger) } }
            var served: [ByteBuffer?] = []
            for await bytes in group { served.append(bytes) }
            return served
        }
        #expect(served.allSatisfy { $0.map { Data($0.readableBytesView) } == audio })
    }
}

/// The error messages logged, each with its `sha256`.
private struct LoggedErrors: LogHandler {
    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    private let logged = Lines()
    var messages: [String] { logged.lines.withLock { $0 } }
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level == .error else { return }
        logged.lines.withLock { $0.append("\(event.message) \(event.metadata?["sha256"].map { "\($0)" } ?? "")") }
    }
}
