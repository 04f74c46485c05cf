import Foundation
import LoaAudio
import Testing

/// ITU-R BS.1770-4 integrated loudness and Loa's normalisation to −16 LUFS.
@Suite("Loudness: measuring (BS.1770-4) and normalising")
struct LoudnessTests {
    /// A 1 kHz sine at `dBFS` (peak), `seconds` long, the same in every channel.
    static func sine(dBFS: Double, seconds: Double = 5, sampleRate: Int = 48000, channels: Int = 1, frequency: Double = 1000) -> PCMAudio {
        let amplitude = 32767 * pow(10, dBFS / 20)
        let frames = Int(seconds * Double(sampleRate))
        var samples: [Int16] = []
        samples.reserveCapacity(frames * channels)
        for frame in 0..<frames {
            let value = Int16((amplitude * sin(2 * Double.pi * frequency * Double(frame) / Double(sampleRate))).rounded())
            for _ in 0..<channels { samples.append(value) }
        }
        return PCMAudio(sampleRate: sampleRate, channels: channels, samples: samples)
    }

    @Test("a 1 kHz sine at −20 dBFS measures −23.0 LUFS; at full scale −3.01 LUFS; at any sample rate", arguments: [48000, 44100, 22050, 16000])
    func sineReference(sampleRate: Int) throws {
        let quiet = try #require(Loudness.integrated(Self.sine(dBFS: -20, sampleRate: sampleRate)))
        #expect(abs(quiet - -23.0) <= 0.1, "measured \(quiet) LUFS at \(sampleRate) Hz")
        let full = try #require(Loudness.integrated(Self.sine(dBFS: 0, sampleRate: sampleRate)))
        #expect(abs(full - -3.01) <= 0.1, "measured \(full) LUFS at \(sampleRate) Hz")
    }

    @Test("two channels each count once: the same sine in stereo is 3 dB louder")
    func stereoSums() throws {
        let stereo = try #require(Loudness.integrated(Self.sine(dBFS: -20, channels: 2)))
        #expect(abs(stereo - -19.99) <= 0.1)
    }

    @Test("silence and sound below −70 LUFS are gated: nothing to measure")
    func silenceIsGated() {
        #expect(Loudness.integrated(PCMAudio(sampleRate: 48000, channels: 1, samples: Array(repeating: 0, count: 48000))) == nil)
        #expect(Loudness.integrated(Self.sine(dBFS: -75)) == nil)
        #expect(Loudness.integrated(PCMAudio(sampleRate: 48000, channels: 1, samples: [])) == nil)
        #expect(Loudness.samplePeak(PCMAudio(sampleRate: 48000, channels: 1, samples: [0, 0])) == nil)
    }

    @Test("the relative gate drops passages 10 LU below the rest: pauses do not pull speech down")
    func relativeGate() throws {
        let loud = Self.sine(dBFS: -20)
        let quiet = Self.sine(dBFS: -45)
        let both = PCMAudio(sampleRate: 48000, channels: 1, samples: loud.samples + quiet.samples)
        let measured = try #require(Loudness.integrated(both))
        #expect(abs(measured - -23.0) <= 0.3, "measured \(measured) LUFS; without the relative gate it would be about −26")
    }

    @Test("normalising brings quiet and loud speech to −16 LUFS", arguments: [-30.0, -20.0, -6.0])
    func normalisesToTarget(dBFS: Double) throws {
        let normalised = LoudnessNormalisation.loudspeakers.apply(to: Self.sine(dBFS: dBFS, sampleRate: 22050))
        let measured = try #require(Loudness.integrated(normalised))
        #expect(abs(measured - -16) <= 0.1, "a sine at \(dBFS) dBFS came out at \(measured) LUFS")
    }

    @Test("peaks the gain would push past −1 dBFS are limited: the loudness reaches the target, nothing clips")
    func peakLimiting() throws {
        var spiky = Self.sine(dBFS: -30, sampleRate: 22050)
        for index in stride(from: 1000, to: spiky.samples.count, by: 22050) { spiky.samples[index] = index % 2 == 0 ? 32000 : -32000 }
        let normalised = LoudnessNormalisation.loudspeakers.apply(to: spiky)
        let peak = try #require(Loudness.samplePeak(normalised))
        #expect(peak <= -1.0 + 0.001, "peak \(peak) dBFS")
        let measured = try #require(Loudness.integrated(normalised))
        #expect(abs(measured - -16) <= 0.15, "measured \(measured) LUFS")
        // Away from the spikes the sine is raised by at least the gain (+17 dB; up to 2 dB more
        // makes up for the loudness the limiter took at the spikes), not squashed.
        let gain = pow(10, try #require(LoudnessNormalisation.loudspeakers.gain(for: spiky)) / 20)
        let away = 12000..<21000
        let raised = Double(try #require(normalised.samples[away].max())) / Double(try #require(spiky.samples[away].max()))
        #expect(raised >= gain * 0.999 && raised < gain * 1.25, "raised ×\(raised), gain ×\(gain)")
    }

    @Test("a nearly silent recording is raised by at most +24 dB")
    func maximumGain() throws {
        let faint = Self.sine(dBFS: -60, sampleRate: 22050)
        #expect(LoudnessNormalisation.loudspeakers.gain(for: faint) == 24)
        let measured = try #require(Loudness.integrated(LoudnessNormalisation.loudspeakers.apply(to: faint)))
        #expect(abs(measured - -39) <= 0.2)
    }

    @Test("silence is left as it is")
    func silenceUnchanged() {
        let silence = PCMAudio(sampleRate: 22050, channels: 1, samples: Array(repeating: 0, count: 22050))
        #expect(LoudnessNormalisation.loudspeakers.apply(to: silence) == silence)
        #expect(LoudnessNormalisation.loudspeakers.gain(for: silence) == nil)
    }
}
