import Foundation
import LoaAudio
import LoaHarness
import Testing

/// A receiver levels and decodes as it plays, a buffer at a time: what comes out must be
/// exactly what levelling and decoding the whole audio in memory give.
struct LevelledPlaybackTests {
    /// Speech-like audio: a −30 dBFS tone with full-scale clicks the gain would clip.
    static func spiky(sampleRate: Int, channels: Int, seconds: Double = 3) -> PCMAudio {
        var audio = LoudnessTests.sine(dBFS: -30, seconds: seconds, sampleRate: sampleRate, channels: channels, frequency: 440)
        for index in stride(from: 1000, to: audio.samples.count, by: sampleRate / 3) { audio.samples[index] = index % 2 == 0 ? 32000 : -32000 }
        return audio
    }

    /// Reads `source` whole, asking for a different number of frames each time.
    static func readInOddSizes(_ source: any PCMSource) throws -> [Int16] {
        let reader = try source.openReader()
        var generator = SeededGenerator(seed: 7)
        var samples: [Int16] = []
        var buffer: [Int16] = []
        while true {
            let frames = try reader.read(maxFrames: Int.random(in: 1...5000, using: &generator), into: &buffer)
            guard frames > 0 else { return samples }
            #expect(buffer.count == frames * source.channels)
            samples += buffer
        }
    }

    @Test(
        "levelled while playing, a buffer at a time, equals levelled whole: limiter and volume step, byte for byte",
        arguments: [(22050, 1, 10), (48000, 2, 7), (44100, 1, 10)])
    func levelledStreamMatchesWhole(sampleRate: Int, channels: Int, volume: Int) throws {
        let audio = Self.spiky(sampleRate: sampleRate, channels: channels)
        let gain = LoudnessNormalisation.loudspeakers.levellingGain(for: audio)
        #expect(gain > 10, "the test needs a gain that makes the limiter work; got \(gain) dB")
        let volumeDB = volume == 10 ? 0 : -6.0
        let whole = LoudnessNormalisation.loudspeakers.apply(to: audio).amplified(byDecibels: volumeDB)
        let streamed = try Self.readInOddSizes(LevelledSource(audio, gainDecibels: gain, volumeDecibels: volumeDB))
        #expect(streamed.count == whole.samples.count)
        #expect(streamed == whole.samples, "first difference at sample \(zip(streamed, whole.samples).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
        #expect(try #require(Loudness.samplePeak(PCMAudio(sampleRate: sampleRate, channels: channels, samples: streamed))) <= -1.0 + 0.001)
    }

    @Test("a file decoded as it is read, WAV or MP3, gives the samples of decoding it whole", arguments: [
        "sweep-22050-mono.mp3", "sweep-22050-mono.wav", "tone-16bit-stereo.wav", "tone-24bit-mono-extensible.wav",
        "tone-8bit-mono.wav", "tone-float32-mono.wav",
    ])
    func fileReadAsItPlays(name: String) throws {
        let whole = try Fixture.audio(name)
        let file = try AudioFile(url: try Fixture.url(name), duration: whole.duration)
        #expect(file.sampleRate == whole.sampleRate && file.channels == whole.channels)
        #expect(try Self.readInOddSizes(file) == whole.samples)
    }

    @Test("a file that is not audio is refused when opened, naming the file and what Loa plays")
    func notAudioRefusedAtOpen() throws {
        let folder = try TemporaryDirectory()
        let url = folder.url.appendingPathComponent("notice.txt")
        try Data("Thông báo họp dân".utf8).write(to: url)
        let error = #expect(throws: AudioDecodingError.self) { try AudioFile(url: url, duration: .seconds(1)) }
        #expect(error?.description.contains("notice.txt") == true)
        #expect(error?.description.contains("WAV") == true)
    }
}
