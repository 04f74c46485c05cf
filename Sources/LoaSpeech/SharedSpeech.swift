import LoaAudio
import Synchronization

/// Speech made in this process, shared by the synthesisers that use it: one controller
/// process serves many communes, each with its own speech cache, and a province's
/// emergency reaches them all with the same words; read by the same engine (same
/// voice and settings), they are the same audio, so the engine runs once, not once per
/// commune. Readings of the same text asked for at the same time wait for one run.
///
/// Bounded: at most `capacity` texts and `byteBudget` bytes of speech (its WAV and
/// decoded samples), the least recently asked for leaving first; a reading larger than
/// the budget is handed to those waiting for it and not kept.
public final class SharedSpeech: Sendable {
    /// The one a controller process shares among its communes.
    public static let process = SharedSpeech()

    private struct Entry {
        var reading: Task<Speech, any Error>
        var used: UInt64
        /// Bytes held once read; nil while reading.
        var bytes: Int?
    }

    private struct Entries {
        var byKey: [String: Entry] = [:]
        var uses: UInt64 = 0
    }

    private let entries = Mutex(Entries())
    private let capacity: Int
    private let byteBudget: Int

    /// Keeps at most `capacity` texts and `byteBudget` bytes of their speech.
    public init(capacity: Int = 16, byteBudget: Int = 64 << 20) {
        self.capacity = max(1, capacity)
        self.byteBudget = byteBudget
    }

    /// The speech of `text` by the engine `engineIdentity`: made earlier in this process,
    /// being made now (waited for), or made by `make` now. A failed reading is forgotten,
    /// so the next asks again.
    func speech(
        text: String, engineIdentity: String, make: @escaping @Sendable () async throws -> Speech
    ) async throws -> (speech: Speech, madeHere: Bool) {
        let key = "\(engineIdentity)\n\(text)"
        let (reading, madeHere) = entries.withLock { state -> (Task<Speech, any Error>, Bool) in
            state.uses += 1
            if var entry = state.byKey[key] {
                entry.used = state.uses
                state.byKey[key] = entry
                return (entry.reading, false)
            }
            if state.byKey.count >= capacity { evictLeastRecent(from: &state) }
            let reading = Task { try await make() }
            state.byKey[key] = Entry(reading: reading, used: state.uses)
            return (reading, true)
        }
        let speech: Speech
        do {
            speech = try await reading.value
        } catch {
            entries.withLock { state in
                if state.byKey[key]?.reading == reading { state.byKey[key] = nil }
            }
            throw error
        }
        if madeHere {
            entries.withLock { state in
                guard state.byKey[key]?.reading == reading else { return }
                state.byKey[key]?.bytes = speech.wav.count + speech.audio.samples.count * MemoryLayout<Int16>.size
                while state.byKey.values.compactMap(\.bytes).reduce(0, +) > byteBudget { evictLeastRecent(from: &state) }
            }
        }
        return (speech, madeHere)
    }

    /// Removes the least recently asked-for reading that is done (those still reading stay).
    private func evictLeastRecent(from state: inout Entries) {
        guard let oldest = state.byKey.filter({ $0.value.bytes != nil }).min(by: { $0.value.used < $1.value.used })?.key else {
            return
        }
        state.byKey[oldest] = nil
    }
}
