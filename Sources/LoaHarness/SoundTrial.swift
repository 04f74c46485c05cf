import Foundation
public import LoaAudio

/// One trial of proof of sound on a real capture path: a PulseAudio null sink is the
/// speaker, its monitor the microphone. The microphone records while the speaker plays
/// `sound` (unless the sink is muted: a dead speaker); the room's noise is added to the
/// recording, as a microphone in a hamlet hears it; then the recording is matched
/// against what was played.
public enum SoundTrial {
    /// White Gaussian noise at `level` of full scale (RMS), mono 16-bit, clipped at full scale.
    public static func noise(seconds: Double, sampleRate: Int, level: Double, seed: UInt64) -> PCMAudio {
        var generator = SeededGenerator(seed: seed)
        let samples = (0..<Int(seconds * Double(sampleRate))).map { _ -> Int16 in
            // Box–Muller: a standard normal draw from two uniform ones.
            let u = Double.random(in: Double.ulpOfOne...1, using: &generator)
            let v = Double.random(in: 0..<1, using: &generator)
            let normal = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
            return Int16(clamping: Int((normal * level * 32767).rounded()))
        }
        return PCMAudio(sampleRate: sampleRate, channels: 1, samples: samples)
    }

    /// Records `recordSeconds` from `pulse`'s monitor at 16 kHz; `lead` seconds in, plays
    /// `sound` to its sink; adds `roomNoise` (16 kHz mono) to the recording; returns the
    /// match of `sound` in it.
    public static func run(
        _ pulse: PrivatePulseAudio, sound: PCMAudio, roomNoise: PCMAudio? = nil, recordSeconds: Double = 3, lead: Double = 1,
        name: String = "trial"
    ) async throws -> SoundMatch? {
        let microphone = ALSAMicrophone(input: pulse.microphone(name: "loa_mic_\(name)"))
        let speaker = ALSAPlayer(output: pulse.output(name: "loa_speaker_\(name)"))
        // A null sink with nothing playing renders nothing, and its monitor gives no frames
        // (a real microphone always does): a stream of silence keeps it running.
        let keepAlive = ALSAPlayer(output: pulse.output(name: "loa_silence_\(name)"))
        let rate = sound.sampleRate
        async let silence = keepAlive.play(PCMAudio(
            sampleRate: rate, channels: sound.channels,
            samples: [Int16](repeating: 0, count: Int((recordSeconds + 1) * Double(rate)) * sound.channels)))
        try await Task.sleep(for: .milliseconds(300))
        let (capturing, capture) = AsyncStream.makeStream(of: Void.self)
        async let recording = microphone.record(seconds: recordSeconds, sampleRate: 16_000) { capture.finish() }
        for await _ in capturing {}
        try await Task.sleep(for: .milliseconds(Int(lead * 1000)))
        _ = try await speaker.play(sound)
        _ = try await silence
        var heard = try await recording.audio
        if let roomNoise {
            for index in heard.samples.indices where index < roomNoise.samples.count {
                heard.samples[index] = Int16(clamping: Int(heard.samples[index]) + Int(roomNoise.samples[index]))
            }
        }
        return SoundMatch.find(sound, in: heard)
    }
}
