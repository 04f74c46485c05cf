import Foundation
import LoaDomain
import LoaSpeech
import Synchronization

/// The controller's text-to-speech: the synthesiser its settings describe (or why
/// there is none), and the media already stored for each text read in this process.
final class SpeechMedia: Sendable {
    /// The engine and cache, or why they could not be set up (reported when text is read).
    let synthesizer: Result<SpeechSynthesizer, SpeechError>
    private let stored = Mutex<[String: MediaReference]>([:])

    /// The engine of `settings` (eSpeak NG when nil) with its cache in `{dataDirectory}/speech-cache`,
    /// sharing what it reads with the process's other communes (`SharedSpeech.process`).
    init(settings: SpeechSettings?, dataDirectory: String) {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("speech-cache")
        synthesizer = Result {
            let engine = try (settings ?? SpeechSettings()).makeEngine()
            let cache: SpeechCache
            do {
                cache = try SpeechCache(directory: folder)
            } catch {
                throw SpeechError.cacheUnavailable(path: folder.path, reason: "\(error.localizedDescription)")
            }
            return SpeechSynthesizer(engine: engine, cache: cache, shared: .process)
        }.mapError { $0 as? SpeechError ?? .cacheUnavailable(path: folder.path, reason: "\($0)") }
    }

    /// The media stored for `text` in this process, if any.
    func media(for text: String) -> MediaReference? {
        stored.withLock { $0[text] }
    }

    /// Remembers the media stored for `text`.
    func remember(_ media: MediaReference, for text: String) {
        stored.withLock { $0[text] = media }
    }
}
