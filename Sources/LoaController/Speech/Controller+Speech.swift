import Foundation
public import LoaDomain
import LoaAudio
import LoaSpeech
import LoaStore
import Logging

extension Controller {
    /// Reads `text` aloud with the configured engine (``SpeechSettings``; eSpeak NG by
    /// default) unless the speech cache holds it, stores the WAV in the media store like
    /// uploaded audio (receivers fetch it by sha256 and verify it) and returns its reference.
    ///
    /// Numbers, dates, times, money and abbreviations are read as a person would
    /// (`VietnameseReading`); every receiver brings it to the loudness target before playing.
    /// - Throws: `SpeechError` (Vietnamese first) when the engine is missing or fails or
    ///   the text is empty; an error of the store when the WAV cannot be stored.
    public func speech(for text: String) async throws -> MediaReference {
        if let known = speechMedia.media(for: text) { return known }
        let synthesizer = try speechMedia.synthesizer.get()
        let speech = try await synthesizer.speech(for: text)
        let sha256 = try media.store(speech.wav)
        let reference = MediaReference(
            sha256: sha256, bytes: speech.wav.count, contentType: "audio/wav",
            durationMs: Int((speech.audio.duration.seconds * 1000).rounded()))
        try await store.saveMedia(reference, at: clock())
        speechMedia.remember(reference, for: text)
        if !speech.fromCache {
            logger.info("text read by text-to-speech", metadata: [
                "engine": "\(synthesizer.engine.identity)", "sha256": "\(sha256)", "durationMs": "\(reference.durationMs)",
            ])
        }
        return reference
    }

    /// The speech of the text programmes of `schedule` (those in `only` when given), by
    /// programme index, and the programmes whose text could not be read, with why.
    func speechOfTextProgrammes(
        _ schedule: BroadcastSchedule, only: Set<String>? = nil
    ) async -> (spoken: [Int: MediaReference], failed: [(programme: String, error: any Error)]) {
        var spoken: [Int: MediaReference] = [:]
        var failed: [(programme: String, error: any Error)] = []
        for (index, programme) in schedule.programmes.enumerated() where only?.contains(programme.id) ?? true {
            guard case .text(let text) = programme.content else { continue }
            do {
                spoken[index] = try await speech(for: text)
            } catch {
                failed.append((programme.id, error))
            }
        }
        return (spoken, failed)
    }
}
