import Foundation
import LoaFiles
import LoaHarness
import Testing

/// The receiver's file reader (its media, its settings): what `FileHandle` gave, on a
/// descriptor of its own.
@Suite("Reading a file without FileHandle")
struct ReadOnlyFileTests {
    /// 200 KiB of bytes that differ from their neighbours, so a read from the wrong place shows.
    let bytes = Data((0..<204_800).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })

    @Test("reads in blocks from the start, fewer at the end, none past it; seeks; knows its size")
    func blocks() throws {
        let directory = try TemporaryDirectory(prefix: "loa-read")
        defer { directory.remove() }
        let url = directory.path("media.bin")
        try bytes.write(to: url)
        let file = try ReadOnlyFile(url: url)
        #expect(try file.size() == bytes.count)
        var read = Data()
        while case let block = try file.read(upToCount: 65_536), !block.isEmpty {
            #expect(block.count == min(65_536, bytes.count - read.count))
            read += block
        }
        #expect(read == bytes)
        #expect(file.offset == bytes.count)
        #expect(try file.read(upToCount: 10).isEmpty)
        file.seek(toOffset: 100_000)
        #expect(try file.read(upToCount: 5) == bytes[100_000..<100_005])
        #expect(file.offset == 100_005)
        #expect(try ReadOnlyFile.contents(atPath: url.path) == bytes)
    }

    @Test("a file still being written: what is on disk now, then what came after")
    func growing() throws {
        let directory = try TemporaryDirectory(prefix: "loa-read")
        defer { directory.remove() }
        let url = directory.path("arriving.part")
        try bytes.prefix(1000).write(to: url)
        let file = try ReadOnlyFile(url: url)
        #expect(try file.read(upToCount: 4096) == bytes.prefix(1000))
        let writer = try FileHandle(forWritingTo: url)
        try writer.seekToEnd()
        try writer.write(contentsOf: bytes[1000..<3000])
        try writer.close()
        #expect(try file.size() == 3000)
        #expect(try file.read(upToCount: 4096) == bytes[1000..<3000])
    }

    @Test("a missing or unreadable file: an error naming the path, the step and the system's reason")
    func refused() throws {
        let directory = try TemporaryDirectory(prefix: "loa-read")
        defer { directory.remove() }
        let missing = directory.path("no-such-file").path
        #expect(throws: FileError(.read, path: missing, step: "open", reason: "No such file or directory")) {
            try ReadOnlyFile(path: missing)
        }
        let folder = try ReadOnlyFile(path: directory.url.path)
        #expect(throws: FileError(.read, path: directory.url.path, step: "read", reason: "Is a directory")) {
            try folder.read(upToCount: 1)
        }
        do {
            _ = try ReadOnlyFile.contents(atPath: missing)
            Issue.record("a missing file must not read as empty")
        } catch {
            #expect(error.description == "cannot read \(missing): open: No such file or directory")
        }
    }
}
