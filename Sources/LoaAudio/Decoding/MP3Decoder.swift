#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes a whole MP3 file to 16-bit ``PCMAudio`` (``MP3StreamDecoder`` fed all at once).
///
/// Gapless decoding is on: with a LAME/Xing tag the encoder delay and padding are
/// removed, so a LAME-made MP3 decodes to exactly the frame count of its source.
enum MP3Decoder {
    static func decode(_ data: Data) throws -> PCMAudio {
        let decoder = try MP3StreamDecoder()
        var samples: [Int16] = []
        samples.reserveCapacity(data.count * 6)  // ~12:1 compression, mono 16-bit
        try data.withUnsafeBytes { try decoder.decode($0, into: &samples) }
        guard decoder.sampleRate > 0, decoder.channels > 0 else {
            throw AudioDecodingError("no MPEG audio frames found in what looks like an MP3 (ID3 tag or frame sync at the start); the file is empty or damaged")
        }
        return PCMAudio(sampleRate: decoder.sampleRate, channels: decoder.channels, samples: samples)
    }
}
