import Foundation
import LoaAudio
import Testing

@Suite("Decoding errors say what is wrong and what would be right")
struct DecodingErrorTests {
    private func error(decoding data: Data) -> AudioDecodingError? {
        #expect(throws: AudioDecodingError.self) { try AudioDecoder.decode(data) }
        do {
            _ = try AudioDecoder.decode(data)
            return nil
        } catch {
            return error as? AudioDecodingError
        }
    }

    @Test func truncatedDataChunk() throws {
        let whole = try Fixture.data("tone-16bit-mono.wav")  // 44-byte header + 8000 bytes of samples
        let message = try #require(error(decoding: whole.prefix(whole.count - 1000))).description
        #expect(message.contains("data chunk is truncated"))
        #expect(message.contains("says 8000 bytes but only 7000 follow"))
    }

    @Test func twelveBitSamples() throws {
        var wav = WAVBuilder()
        wav.bitsPerSample = 12
        let failure = try #require(error(decoding: wav.bytes(data: [0, 0, 0, 0])))
        #expect(failure == AudioDecodingError("WAV fmt chunk: 12-bit samples are not supported; use 8, 16, 24 or 32-bit PCM"))
    }

    @Test func compressedWAVNamesTheCodec() throws {
        var wav = WAVBuilder()
        wav.formatTag = 0x0006
        wav.bitsPerSample = 8
        let message = try #require(error(decoding: wav.bytes(data: [0, 0]))).description
        #expect(message.contains("A-law (format 0x0006) is not supported"))
        #expect(message.contains("use uncompressed PCM"))
    }

    @Test func randomBytes() throws {
        var generator = SplitMix64(seed: 42)
        let bytes = Data((0..<4096).map { _ in UInt8.random(in: 0...0xFE, using: &generator) })
        let message = try #require(error(decoding: bytes)).description
        let start = bytes.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
        #expect(message == "not a WAV or MP3 file (starts with \(start)); Loa plays WAV (PCM 8/16/24/32-bit) and MP3")
    }

    @Test func textShowsWhatItSpells() throws {
        let message = try #require(error(decoding: Data("<html><body>".utf8))).description
        #expect(message.contains("starts with 3C 68 74 6D 6C 3E 3C 62 \"<html><b\""))
    }

    @Test func emptyAndOtherRIFFFiles() throws {
        #expect(error(decoding: Data())?.description.contains("empty") == true)
        let avi = Data("RIFF\u{0}\u{0}\u{0}\u{0}AVI LIST".utf8)
        #expect(error(decoding: avi)?.description.contains("RIFF file of type 41 56 49 20 \"AVI \", not WAVE") == true)
    }

    @Test func id3TagWithoutAudio() throws {
        let tagOnly = Data([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]) + Data(repeating: 0x55, count: 2000)
        let message = try #require(error(decoding: tagOnly)).description
        #expect(message.contains("no MPEG audio frames found"))
    }

    @Test func missingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/loa/notice.wav")
        #expect {
            try AudioDecoder.decode(fileAt: url)
        } throws: { error in
            (error as? AudioDecodingError)?.description.contains("/nonexistent/loa/notice.wav") == true
        }
    }
}

/// A seeded generator so "random bytes" are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
