@testable import LoaController
import Testing

/// The `Range` requests a resuming receiver sends, and the ones the media route ignores.
struct ByteRangeTests {
    @Test("bytes=FIRST- resumes to the end; FIRST-LAST is clamped to the file; a suffix takes the last bytes")
    func servedRanges() {
        #expect(ByteRange.request("bytes=100-", size: 1000) == .part(ByteRange(first: 100, last: 999)))
        #expect(ByteRange.request("bytes=0-99", size: 1000) == .part(ByteRange(first: 0, last: 99)))
        #expect(ByteRange.request("bytes=900-5000", size: 1000) == .part(ByteRange(first: 900, last: 999)))
        #expect(ByteRange.request("bytes=-10", size: 1000) == .part(ByteRange(first: 990, last: 999)))
        #expect(ByteRange.request("bytes=999-", size: 1000) == .part(ByteRange(first: 999, last: 999)))
    }

    @Test("from the end or beyond is unsatisfiable (416)")
    func unsatisfiable() {
        #expect(ByteRange.request("bytes=1000-", size: 1000) == .unsatisfiable)
        #expect(ByteRange.request("bytes=5000-6000", size: 1000) == .unsatisfiable)
    }

    @Test("no header, several ranges, other units and nonsense get the whole file (200), as the RFC allows")
    func ignored() {
        for header in [nil, "bytes=0-1,5-9", "items=0-5", "bytes=9-3", "bytes=a-", "bytes=", "bytes=-0"] {
            #expect(ByteRange.request(header, size: 1000) == .whole, "\(header ?? "nil")")
        }
    }
}
