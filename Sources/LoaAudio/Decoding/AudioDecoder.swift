#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaFiles

/// Turns WAV or MP3 bytes into ``PCMAudio``, recognising the format by content, not by name.
public enum AudioDecoder {
    /// Detects WAV (RIFF/WAVE, also WAVE_FORMAT_EXTENSIBLE) or MP3 (ID3 tag or MPEG frame sync) by content.
    ///
    /// - Throws: ``AudioDecodingError`` saying what is wrong with the bytes.
    public static func decode(_ data: Data) throws -> PCMAudio {
        switch AudioContainer.detect(data) {
        case .wav:
            return try WAVDecoder.decode(data)
        case .mp3:
            return try MP3Decoder.decode(data)
        case .unknown(let reason):
            throw AudioDecodingError(reason)
        }
    }

    /// Reads the file at `url` and decodes it like ``decode(_:)``.
    ///
    /// - Throws: ``AudioDecodingError`` when the file cannot be read or decoded.
    public static func decode(fileAt url: URL) throws -> PCMAudio {
        let data: Data
        do {
            data = try ReadOnlyFile.contents(atPath: url.path)
        } catch {
            throw AudioDecodingError("cannot read audio file \(url.path): \(error.reason)")
        }
        do {
            return try decode(data)
        } catch let error as AudioDecodingError {
            throw AudioDecodingError("\(url.lastPathComponent): \(error.description)")
        }
    }
}
