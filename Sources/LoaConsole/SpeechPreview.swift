import LoaController
import LoaDomain

/// The audio text-to-speech makes of a text (`MediaLibrary.speech(for:)`), for the
/// preview player and the programme's duration.
enum SpeechPreview {
    /// The stored speech of `text`; nil when the engine cannot read it (the
    /// preview then estimates the duration and the problem shows when it airs).
    static func audio(for text: String, controller: Controller) async throws -> MediaReference? {
        try? await controller.media.speech(for: text)
    }
}
