import LoaController
import LoaDomain

/// The audio text-to-speech makes of a text, for the preview player and the
/// duration; nil while the controller has no text-to-speech.
enum SpeechPreview {
    static func audio(for text: String, controller: Controller) async throws -> MediaReference? {
        nil
    }
}
