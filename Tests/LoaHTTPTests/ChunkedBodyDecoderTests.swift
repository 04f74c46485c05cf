@testable import LoaHTTP
import Testing

@Suite("Reading a chunked body as it arrives")
struct ChunkedBodyDecoderTests {
    /// Two chunks (one with an extension), the last chunk and a trailer, then bytes past the end.
    static let wire = Array("4\r\nxin \r\n6;ext=1\r\nchào!\r\n0\r\nX-Trailer: 1\r\n\r\nrác".utf8)

    @Test("the same body whatever the pieces the network cuts it into")
    func everySplit() throws {
        for cut in 0...Self.wire.count {
            var decoder = ChunkedBodyDecoder()
            var body: [UInt8] = []
            try decoder.decode(Self.wire[..<cut], into: &body)
            try decoder.decode(Self.wire[cut...], into: &body)
            #expect(String(decoding: body, as: UTF8.self) == "xin chào!", "cut at \(cut)")
            #expect(decoder.isDone)
        }
    }

    @Test("a size that is not hexadecimal, data longer than its size and endless lines are refused")
    func brokenFraming() {
        for wire in ["zz\r\nabc\r\n", "2\r\nabc\r\n", String(repeating: "1", count: 2000)] {
            var decoder = ChunkedBodyDecoder()
            var body: [UInt8] = []
            #expect(throws: ChunkedFramingError.self, "\(wire.prefix(20))") { try decoder.decode(Array(wire.utf8)[...], into: &body) }
        }
    }
}
