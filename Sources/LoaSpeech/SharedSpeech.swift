import Synchronization

/// Speech made in this process, shared by the synthesisers that use it: one controller
/// process serves many communes, each with its own speech cache, and a province's
/// emergency reaches them all with the same words; read by the same engine (same
/// voice and settings), they are the same audio, so the engine runs once, not once per
/// commune. Readings of the same text asked for at the same time wait for one run.
///
/// Bounded: it keeps the last `capacity` texts (an entry holds its WAV and decoded audio).
public final class SharedSpeech: Sendable {
    /// The one a controller process shares among its communes.
    public static let process = SharedSpeech()

    private struct Entry {
        var reading: Task<Speech, any Error>
        var used: UInt64
    }

    private let entries = Mutex<(byKey: [String: Entry], uses: UInt64)>(([:], 0))
    private let capacity: Int

    /// Keeps at most `capacity` texts.
    public init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
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
            if state.byKey.count >= capacity, let oldest = state.byKey.min(by: { $0.value.used < $1.value.used })?.key {
                state.byKey[oldest] = nil
            }
            let reading = Task { try await make() }
            state.byKey[key] = Entry(reading: reading, used: state.uses)
            return (reading, true)
        }
        do {
            return (try await reading.value, madeHere)
        } catch {
            entries.withLock { state in
                if state.byKey[key]?.reading == reading { state.byKey[key] = nil }
            }
            throw error
        }
    }
}
