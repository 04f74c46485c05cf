public import Foundation
public import LoaAudio

/// Reads a notice aloud: prepares its words (``VietnameseReading``), asks the engine
/// for the audio unless the cache holds it, checks and repairs the WAV, caches it.
public struct SpeechSynthesizer: Sendable {
    public let engine: any SpeechEngine
    public let cache: SpeechCache
    /// Speech shared with the process's other synthesisers, if any.
    public let shared: SharedSpeech?

    /// With `shared`, a text another synthesiser of the process read with the same
    /// engine is not read again (``SharedSpeech``).
    public init(engine: any SpeechEngine, cache: SpeechCache, shared: SharedSpeech? = nil) {
        self.engine = engine
        self.cache = cache
        self.shared = shared
    }

    /// The speech for `text`, from the cache, the speech shared in the process or the engine.
    /// - Throws: ``SpeechError`` when the text is empty or the engine fails.
    public func speech(for text: String) async throws -> Speech {
        guard let shared else { return try await readAloud(text) }
        let (speech, madeHere) = try await shared.speech(text: text, engineIdentity: engine.identity) { try await readAloud(text) }
        if madeHere { return speech }
        // Read for another commune: kept in this one's cache too, so it survives a restart
        // (the same file under a second name where the folders allow).
        var known = speech
        if !FileManager.default.fileExists(atPath: cache.url(for: speech.cacheKey).path) {
            known.file = try cache.store(speech.wav, for: speech.cacheKey, sameAs: speech.file)
        }
        known.fromCache = true
        return known
    }

    private func readAloud(_ text: String) async throws -> Speech {
        let spoken = VietnameseReading.spoken(text)
        guard !spoken.isEmpty else { throw SpeechError.emptyText }
        let key = SpeechCache.key(engineIdentity: engine.identity, spokenText: spoken)
        if let cached = cachedSpeech(key: key, spoken: spoken) { return cached }
        let (wav, audio) = try SpeechWAV.prepared(try await engine.synthesise(spoken), program: engine.identity)
        let file = try cache.store(wav, for: key)
        return Speech(wav: wav, audio: audio, spokenText: spoken, cacheKey: key, fromCache: false, file: file)
    }

    /// The speech for `text` when the cache already holds it (no engine run).
    public func cachedSpeech(for text: String) -> Speech? {
        let spoken = VietnameseReading.spoken(text)
        return cachedSpeech(key: SpeechCache.key(engineIdentity: engine.identity, spokenText: spoken), spoken: spoken)
    }

    private func cachedSpeech(key: String, spoken: String) -> Speech? {
        guard let data = cache.audio(for: key), let (wav, audio) = try? SpeechWAV.prepared(data, program: engine.identity) else {
            return nil
        }
        // The file holds `wav` unless preparing it repaired a file an older version cached.
        return Speech(wav: wav, audio: audio, spokenText: spoken, cacheKey: key, fromCache: true, file: wav == data ? cache.url(for: key) : nil)
    }
}

/// A notice read aloud.
public struct Speech: Sendable {
    /// A WAV file's bytes (sizes repaired), as stored and sent to receivers.
    public var wav: Data
    /// The decoded audio.
    public var audio: PCMAudio
    /// The words the engine read (``VietnameseReading/spoken(_:)`` of the text).
    public var spokenText: String
    /// The key it is cached under.
    public var cacheKey: String
    /// True when it came from the cache or the process's shared speech, without running the engine.
    public var fromCache: Bool
    /// A cache file holding `wav` (this synthesiser's, or the one of the commune that read
    /// it first), if any: copies of it elsewhere (a commune's media) can be the same file
    /// under another name.
    public var file: URL? = nil
}
