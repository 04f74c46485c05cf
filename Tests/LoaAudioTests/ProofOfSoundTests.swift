import Foundation
import LoaAudio
import LoaHarness
import Testing

/// Proof that a speaker sounded, on a real capture path: PulseAudio's null sink is the
/// speaker, its monitor the microphone (ALSA's pulse PCM both ways). The test chirp and a
/// programme are found when they sound, also under noise, and not when the sink is muted.
@Suite("Proof of sound through a microphone", .serialized)
struct ProofOfSoundTests {
    @Test("the chirp is heard when played, also under noise as loud as itself, and not heard from a muted speaker")
    func chirpHeardOrNot() async throws {
        let chirp = TestChirp.make(sampleRate: 22_050)
        let pulse = try PrivatePulseAudio(rate: 22_050, channels: 1, monitored: true)
        defer { pulse.stop() }
        for trial in 0..<2 {
            let heard = try #require(try await SoundTrial.run(pulse, sound: chirp, name: "heard\(trial)"))
            print("proof of sound trial \(trial): heard \(heard)")
            #expect(SpeakerCheck.judge(heard) == .heard, "score \(heard.score), \(heard.snrDb) dB")
            #expect(abs(heard.lagSeconds - 1) < 0.5, "found where it was played: \(heard.lagSeconds) s")

            // Room noise as loud as the chirp (RMS 0.35 of full scale).
            let noise = SoundTrial.noise(seconds: 3, sampleRate: 16_000, level: 0.35, seed: UInt64(trial))
            let noisy = try #require(try await SoundTrial.run(pulse, sound: chirp, roomNoise: noise, name: "noisy\(trial)"))
            print("proof of sound trial \(trial): noisy \(noisy)")
            #expect(SpeakerCheck.judge(noisy) == .heard, "under noise: score \(noisy.score), \(noisy.snrDb) dB")

            try await pulse.mute(true)
            let muted = try await SoundTrial.run(pulse, sound: chirp, roomNoise: noise, name: "muted\(trial)")
            try await pulse.mute(false)
            print("proof of sound trial \(trial): muted \(String(describing: muted))")
            #expect(SpeakerCheck.judge(muted) == .notHeard, "muted: score \(muted?.score ?? 0), \(muted?.snrDb ?? 0) dB")
        }
    }
}
