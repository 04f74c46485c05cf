import Foundation
import LoaAudio
import LoaDomain
import LoaProtocol
import LoaHarness
import Testing

/// Loudness normalisation on the receiver, checked in the bytes ALSA's file PCM writes.
@Suite("Every item reaches the speaker at −16 LUFS", .serialized)
struct LoudnessOnSpeakerTests {
    /// A 1 kHz sine at `dBFS`, `seconds` long, mono at 22 050 Hz.
    static func sine(dBFS: Double, seconds: Double) -> PCMAudio {
        let amplitude = 32767 * pow(10, dBFS / 20)
        let samples = (0..<Int(seconds * 22050)).map { frame in
            Int16((amplitude * sin(2 * Double.pi * 1000 * Double(frame) / 22050)).rounded())
        }
        return PCMAudio(sampleRate: 22050, channels: 1, samples: samples)
    }

    @Test("a quiet upload (−33 LUFS) and a loud one (−6 LUFS) are both played at −16 LUFS")
    func quietAndLoudUploads() async throws {
        let commune = try await Commune()
        let quiet = try commune.receiver("loa-a1", hamlet: "thon-a")
        let loud = try commune.receiver("loa-b1", hamlet: "thon-b")
        for receiver in [quiet, loud] { receiver.start() }
        let quietAudio = Self.sine(dBFS: -30, seconds: 2), loudAudio = Self.sine(dBFS: -3, seconds: 2)
        #expect(abs(try #require(Loudness.integrated(quietAudio)) - -33) < 0.2)
        #expect(abs(try #require(Loudness.integrated(loudAudio)) - -6) < 0.2)

        // Far enough ahead for a loaded machine: the receivers connect, fetch, decode and normalise first.
        let at = Date().addingTimeInterval(6)
        let first = try await commune.announce(WAVFile.bytes(of: quietAudio), to: ["thon-a"], at: at, title: "Nhỏ")
        let second = try await commune.announce(WAVFile.bytes(of: loudAudio), to: ["thon-b"], at: at, title: "To")
        _ = try await commune.waitForEvents(item: "\(first.id)@thon-a", kind: .finished, from: ["loa-a1"], within: .seconds(40))
        _ = try await commune.waitForEvents(item: "\(second.id)@thon-b", kind: .finished, from: ["loa-b1"], within: .seconds(40))

        for (receiver, source) in [(quiet, quietAudio), (loud, loudAudio)] {
            let written = try ALSAFilePCM.readPlayedPCM(at: receiver.speakerFile)
            // The item from its first sound: the silence queued before the instant (its
            // length is the player's affair) would weigh in BS.1770's first blocks of a 2 s clip.
            let start = try #require(written.samples.firstIndex { $0 != 0 }, "nothing but silence reached the speaker")
            let played = PCMAudio(sampleRate: written.sampleRate, channels: written.channels, samples: Array(written.samples[start...]))
            let loudness = try #require(Loudness.integrated(played), "nothing but silence reached the speaker")
            #expect(abs(loudness - -16) <= 0.2, "played at \(loudness) LUFS")
            let gain = try #require(LoudnessNormalisation.loudspeakers.gain(for: source))
            let peak = try #require(source.samples.max())
            #expect(try #require(played.samples.max()) == Int16((Double(peak) * pow(10, gain / 20)).rounded()),
                    "the loudest sample is the source's times the gain of \(gain) dB")
        }
        for receiver in [quiet, loud] { await receiver.stop() }
        await commune.stop()
    }
}
