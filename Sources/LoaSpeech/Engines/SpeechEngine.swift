public import Foundation

/// Something that reads Vietnamese text aloud: text in, WAV bytes out.
///
/// Loa gives it the words already prepared by ``VietnameseReading`` (numbers, dates
/// and abbreviations spelt out). ``EspeakNGEngine`` is the default; ``CommandSpeechEngine``
/// runs any other program configured by its command line.
public protocol SpeechEngine: Sendable {
    /// Names the engine, its voice and settings, e.g. `espeak-ng -v vi -s 150`: part of
    /// the cache key, so a change of voice or rate never serves old audio.
    var identity: String { get }

    /// Reads `text` aloud and returns a WAV file's bytes.
    /// - Throws: ``SpeechError`` when the engine is missing, fails or returns no audio.
    func synthesise(_ text: String) async throws -> Data
}
