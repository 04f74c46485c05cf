import Foundation
import LoaAudio
import Testing

@Suite("WAV decoding")
struct WAVDecodingTests {
    /// The 16-bit mono tone every other tone fixture was made from (sox, 440 Hz, 0.5 s, 8000 Hz).
    private func reference() throws -> PCMAudio {
        try Fixture.audio("tone-16bit-mono.wav")
    }

    @Test func sixteenBitMonoHasRateFramesAndKnownSamples() throws {
        let audio = try reference()
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 1)
        #expect(audio.frameCount == 4000)
        #expect(audio.duration == .milliseconds(500))
        // The first four samples as stored in the file: 53 02, 4E 15, FE 28, F0 36.
        #expect(Array(audio.samples.prefix(4)) == [0x0253, 0x154E, 0x28FE, 0x36F0])
    }

    @Test func eightBitUnsignedIsCentredAndWidened() throws {
        let audio = try Fixture.audio("tone-8bit-mono.wav")
        let ref = try reference()
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 1)
        #expect(audio.frameCount == 4000)
        #expect(audio.samples[0] == 512)  // stored byte 0x82: (130 − 128) << 8
        let worst = zip(audio.samples, ref.samples).map { abs(Int($0) - Int($1)) }.max() ?? .max
        #expect(worst < 256, "8-bit is the 16-bit tone to within one 8-bit step")
    }

    @Test(arguments: ["tone-24bit-mono-extensible.wav", "tone-32bit-mono-extensible.wav", "tone-float32-mono.wav"])
    func widerFormatsMadeFromTheReferenceDecodeToItExactly(name: String) throws {
        let audio = try Fixture.audio(name)
        #expect(audio == (try reference()))
    }

    @Test func stereoIsInterleavedLeftThenRight() throws {
        let audio = try Fixture.audio("tone-16bit-stereo.wav")
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 2)
        #expect(audio.frameCount == 4000)
        #expect(audio.samples.count == 8000)
        #expect(Array(audio.samples.prefix(4)) == [0x0253, 0x0382, 0x154E, 0x1F23])
        // Left is 440 Hz, right 660 Hz: count sign changes over 0.5 s (2 per cycle).
        let left = stride(from: 0, to: audio.samples.count, by: 2).map { audio.samples[$0] }
        let right = stride(from: 1, to: audio.samples.count, by: 2).map { audio.samples[$0] }
        #expect(abs(signChanges(left) - 440) <= 2)
        #expect(abs(signChanges(right) - 660) <= 2)
    }

    @Test func exactConversionOfEachDepth() throws {
        var wav = WAVBuilder()
        wav.bitsPerSample = 8
        #expect(try AudioDecoder.decode(wav.bytes(data: [0x00, 0x80, 0xFF])).samples == [-32768, 0, 32512])
        wav.bitsPerSample = 24
        #expect(try AudioDecoder.decode(wav.bytes(data: [0x56, 0x34, 0x12, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF])).samples
            == [0x1234, -32768, -1])
        wav.bitsPerSample = 32
        #expect(try AudioDecoder.decode(wav.bytes(data: [0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x80])).samples
            == [0x1234, -32768])
        wav.formatTag = 3
        let floats: [Float] = [0.5, -1.0, 1.5, -0.25]
        let floatBytes = floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
        #expect(try AudioDecoder.decode(wav.bytes(data: floatBytes)).samples == [16384, -32768, 32767, -8192])
    }

    @Test func extensibleFormatAndUnknownChunksBeforeFmtAreHandled() throws {
        var wav = WAVBuilder()
        wav.channels = 2
        wav.sampleRate = 44100
        wav.bitsPerSample = 24
        wav.extensibleSubFormat = 1
        wav.leadingChunks = [("LIST", Array("odd".utf8)), ("JUNK", [0, 0, 0, 0])]
        let audio = try AudioDecoder.decode(wav.bytes(data: [0x00, 0xFF, 0x7F, 0x00, 0x00, 0x80]))
        #expect(audio == PCMAudio(sampleRate: 44100, channels: 2, samples: [32767, -32768]))
    }

    @Test func trailingPartialFrameIsIgnored() throws {
        var wav = WAVBuilder()
        wav.channels = 2
        let audio = try AudioDecoder.decode(wav.bytes(data: [1, 0, 2, 0, 3, 0]))
        #expect(audio.samples == [1, 2])
        #expect(audio.frameCount == 1)
    }

    private func signChanges(_ samples: [Int16]) -> Int {
        zip(samples, samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
    }
}
