public import Foundation
public import LoaDomain
import LoaAudio
public import LoaProtocol
import LoaSpeech
import LoaStore
import Logging

/// The controller's media desk: audio officers upload, notice attachments, and the
/// speech of text programmes. The bytes go to the media folder (`files`), named by
/// their SHA-256; their facts to the store's `MediaCatalog`. Receivers fetch both
/// at `/media/{sha256}` and verify the hash. On a shared database the bytes are kept
/// there too (`MediaCopies`), so a controller without them in its folder takes them from there.
public struct MediaLibrary: Sendable {
    /// The media folder.
    public let files: MediaStore
    let catalog: any MediaCatalog
    /// The database's copies of the bytes (PostgreSQL); nil when the folder is the only place.
    let copies: (any MediaCopies)?
    /// Text-to-speech, from the controller's settings.
    let speechMedia: SpeechMedia
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Stores uploaded audio after checking that it decodes.
    /// - Throws: `ControllerError.invalidAudio` when it is not WAV or MP3 Loa can play.
    public func addAudio(_ data: Data) async throws -> MediaReference {
        let audio: PCMAudio
        do {
            audio = try AudioDecoder.decode(data)
        } catch {
            throw ControllerError.invalidAudio("\(error)")
        }
        let sha256 = try await keep(data)
        let reference = MediaReference(
            sha256: sha256, bytes: data.count, contentType: Self.contentType(of: data),
            durationMs: Int((audio.duration.seconds * 1000).rounded()))
        try await catalog.saveMedia(reference, at: clock())
        try await keepLevellingGain(of: audio, sha256: sha256)
        return reference
    }

    /// `media` as items carry it to receivers: with its levelling gain and its chunk root.
    func forItems(_ media: MediaReference) async -> MediaReference {
        var carried = await levelled(media)
        if carried.chunks == nil, carried.durationMs > 0 {
            carried.chunks = await chunkList(sha256: media.sha256)?.chunks
        }
        return carried
    }

    /// The chunk hash list of the stored file `sha256`, served to receivers that play it
    /// while it downloads; nil when no such file is stored.
    public func chunkList(sha256: String) async -> MediaChunkList? {
        guard let file = await localFile(sha256: sha256) else { return nil }
        if let list = MediaChunkLists.shared.list(sha256: sha256, file: file) { return list }
        // Not the bytes of its hash: replaced by the database's copy where there is one.
        guard await replaceDamagedFile(sha256: sha256) else { return nil }
        return MediaChunkLists.shared.list(sha256: sha256, file: file)
    }

    /// `media` with its levelling gain, as items carry it to receivers: measured when the
    /// audio was stored, or now (once, then kept) for audio stored before gains were kept.
    /// Unchanged when it cannot be measured: the receiver then measures it itself.
    private func levelled(_ media: MediaReference) async -> MediaReference {
        guard media.gainDb == nil, media.durationMs > 0 else { return media }
        var levelled = media
        let known: Double?
        do {
            known = try await catalog.levellingGain(sha256: media.sha256)
        } catch {
            return media  // the store did not answer: sent without, the receiver measures it
        }
        if let known {
            levelled.gainDb = known
            return levelled
        }
        let gain: Double
        if let remembered = LevellingGains.shared.remembered(sha256: media.sha256) {
            gain = remembered
        } else {
            guard !Task.isCancelled, let data = await bytes(sha256: media.sha256), let audio = try? AudioDecoder.decode(data) else { return media }
            gain = await LevellingGains.shared.gain(of: audio, sha256: media.sha256)
        }
        do {
            try await catalog.saveLevellingGain(gain, sha256: media.sha256)
        } catch {
            logger.error("cannot keep the levelling gain", metadata: ["sha256": "\(media.sha256)", "error": "\(error)"])
        }
        levelled.gainDb = gain
        return levelled
    }

    /// Measures the levelling gain of new audio (on a thread of its own; once per process
    /// for the same bytes, `LevellingGains`) and keeps it in the catalog.
    /// - Throws: an error of the store when it cannot be kept.
    private func keepLevellingGain(of audio: PCMAudio, sha256: String) async throws {
        try await catalog.saveLevellingGain(await LevellingGains.shared.gain(of: audio, sha256: sha256), sha256: sha256)
    }

    private static func contentType(of data: Data) -> String {
        data.starts(with: Array("RIFF".utf8)) ? "audio/wav" : "audio/mpeg"
    }

    /// Stores a notice's attachment (a PNG or JPEG image or a PDF, ≤ 10 MB) with the
    /// audio, so the boards fetch it by its sha256 with their device token as they fetch audio.
    /// - Throws: `ControllerError.invalidAttachment` for anything else, or a larger file.
    public func addNoticeAttachment(_ data: Data) async throws -> MediaReference {
        if let problem = NoticeAttachmentType.problem(with: data) { throw ControllerError.invalidAttachment(problem) }
        let sha256 = try await keep(data)
        let reference = MediaReference(
            sha256: sha256, bytes: data.count, contentType: NoticeAttachmentFormat.contentType(of: data) ?? "", durationMs: 0)
        try await catalog.saveMedia(reference, at: clock())
        return reference
    }

    /// The media recorded with this SHA-256, if any.
    public func reference(sha256: String) async throws -> MediaReference? {
        try await catalog.media(sha256: sha256)
    }

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
        let sha256 = try await keep(speech.wav, sameAs: speech.file)
        let reference = MediaReference(
            sha256: sha256, bytes: speech.wav.count, contentType: "audio/wav",
            durationMs: Int((speech.audio.duration.seconds * 1000).rounded()))
        try await catalog.saveMedia(reference, at: clock())
        try await keepLevellingGain(of: speech.audio, sha256: sha256)
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
