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

    private struct Gains {
        var measured: [String: Double] = [:]
        var measuring: [String: Task<Double, Never>] = [:]
    }

    private enum Found {
        case measured(Double)
        case measuring(Task<Double, Never>)
    }

    private let gains = Mutex(Gains())
    private let capacity = 4096

    /// The gain of `audio`, whose SHA-256 is `sha256`: remembered, being measured, or measured now (on a thread of its own).
    func gain(of audio: PCMAudio, sha256: String) async -> Double {
        let found = gains.withLock { gains -> Found in
            if let gain = gains.measured[sha256] { return .measured(gain) }
            if let running = gains.measuring[sha256] { return .measuring(running) }
            let task = Task { await LoudnessNormalisation.loudspeakers.levellingGainOnOwnThread(for: audio) }
            gains.measuring[sha256] = task
            return .measuring(task)
        }
        let gain: Double
        switch found {
        case .measured(let known): return known
        case .measuring(let measuring): gain = await measuring.value
        }
        gains.withLock { gains in
            gains.measuring[sha256] = nil
            if gains.measured.count >= capacity { gains.measured.removeAll(keepingCapacity: true) }
            gains.measured[sha256] = gain
        }
        return gain
    }

    /// The gain remembered for `sha256`, if any.
    func remembered(sha256: String) -> Double? { gains.withLock { $0.measured[sha256] } }
}
