import Foundation
import LoaAudio
import LoaHarness
import Testing

/// The matched filter on made-up recordings: where the played sound lies, how well it
/// matches, and that noise alone does not pass for it.
@Suite("Finding a played sound in a recording")
struct SoundMatchTests {
    /// `sound` resampled to `rate` by nearest sample, at `gain`, placed `at` seconds into `seconds` of `noise`.
    static func recording(of sound: PCMAudio, at: Double, seconds: Double, rate: Int, gain: Double, noise: PCMAudio?) -> PCMAudio {
        var samples = noise.map { Array($0.samples.prefix(Int(seconds * Double(rate)))) } ?? [Int16](repeating: 0, count: Int(seconds * Double(rate)))
        let start = Int(at * Double(rate))
        let frames = Int(Double(sound.frameCount) * Double(rate) / Double(sound.sampleRate))
        for frame in 0..<frames where start + frame < samples.count {
            let source = sound.samples[min(sound.frameCount - 1, frame * sound.sampleRate / rate)]
            samples[start + frame] = Int16(clamping: Int(samples[start + frame]) + Int((Double(source) * gain).rounded()))
        }
        return PCMAudio(sampleRate: rate, channels: 1, samples: samples)
    }

    @Test("the chirp placed 0.7 s into a 16 kHz recording is found there with a score near 1; in noise as loud, still clearly")
    func findsTheChirp() throws {
        let chirp = TestChirp.make(sampleRate: 22_050)
        let clean = try #require(SoundMatch.find(chirp, in: Self.recording(of: chirp, at: 0.7, seconds: 2, rate: 16_000, gain: 0.5, noise: nil)))
        #expect(abs(clean.lagSeconds - 0.7) < 0.01, "\(clean)")
        #expect(clean.score > 0.9, "\(clean)")
        #expect(SpeakerCheck.judge(clean) == .heard)
        let noise = SoundTrial.noise(seconds: 2, sampleRate: 16_000, level: 0.175, seed: 7)
        let noisy = try #require(SoundMatch.find(chirp, in: Self.recording(of: chirp, at: 0.7, seconds: 2, rate: 16_000, gain: 0.5, noise: noise)))
        #expect(abs(noisy.lagSeconds - 0.7) < 0.01, "\(noisy)")
        #expect(SpeakerCheck.judge(noisy) == .heard, "\(noisy)")
    }

    @Test("noise alone is not heard as the chirp in 100 recordings")
    func noiseIsNotTheChirp() {
        let chirp = TestChirp.make(sampleRate: 22_050)
        for seed in 0..<100 {
            let noise = SoundTrial.noise(seconds: 2, sampleRate: 16_000, level: 0.2, seed: UInt64(seed))
            #expect(SpeakerCheck.judge(SoundMatch.find(chirp, in: noise)) == .notHeard)
        }
    }
}
