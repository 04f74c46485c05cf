import LoaAudio
import LoaDomain
import Synchronization

/// Levelling gains measured in this process, by the audio's SHA-256: the gain is a
/// function of the bytes alone, and the communes one process serves often hold the same
/// audio (a province's emergency, read by each commune's text-to-speech into the same
/// WAV), so it is measured once, not once per commune; communes asking while it is being
/// measured wait for that measurement. Bounded: emptied when full.
final class LevellingGains: Sendable {
    static let shared = LevellingGains()

    private let measured = Mutex<[String: Double]>([:])
    private let measuring = InFlight<Double>()
    private let capacity = 4096

    /// The gain of `audio`, whose SHA-256 is `sha256`: remembered, being measured, or measured now (on a thread of its own).
    func gain(of audio: PCMAudio, sha256: String) async -> Double {
        if let known = remembered(sha256: sha256) { return known }
        return await measuring.value(for: sha256) { [self] in
            let gain = await LoudnessNormalisation.loudspeakers.levellingGainOnOwnThread(for: audio)
            measured.withLock { measured in
                if measured.count >= capacity { measured.removeAll(keepingCapacity: true) }
                measured[sha256] = gain
            }
            return gain
        }
    }

    /// The gain remembered for `sha256`, if any.
    func remembered(sha256: String) -> Double? { measured.withLock { $0[sha256] } }
}
