#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes RIFF/WAVE files holding integer PCM (8, 16, 24, 32-bit) or 32-bit float,
/// in the plain or the WAVE_FORMAT_EXTENSIBLE layout, to 16-bit ``PCMAudio``.
///
/// Wider samples keep their top 16 bits; 8-bit (unsigned) samples are centred and
/// shifted up; float samples are scaled by 32768 and clipped.
enum WAVDecoder {
    static func decode(_ data: Data) throws -> PCMAudio {
        try data.withUnsafeBytes { try decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeRawBufferPointer) throws -> PCMAudio {
        var format: WAVFormat?
        var offset = 12  // after "RIFF" size "WAVE"
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes.loadLE(UInt32.self, at: offset + 4))
            let body = offset + 8
            switch id {
            case "fmt ":
                guard body + size <= bytes.count else {
                    throw AudioDecodingError("WAV fmt chunk is cut off: it says \(size) bytes but only \(bytes.count - body) follow; the file is incomplete, copy it again")
                }
                format = try WAVFormat(bytes[body..<body + size])
            case "data":
                guard let format else {
                    throw AudioDecodingError("WAV data chunk comes before any fmt chunk; a WAV file must describe its format (fmt chunk) before the samples")
                }
                let available = bytes.count - body
                guard size <= available else {
                    throw AudioDecodingError("WAV data chunk is truncated: it says \(size) bytes but only \(available) follow; the file was cut off, copy or export it again")
                }
                return format.convert(UnsafeRawBufferPointer(rebasing: bytes[body..<body + size]))
            default:
                break  // LIST, fact, JUNK, bext, cue …: not needed.
            }
            offset = body + size + (size & 1)  // chunks are padded to even sizes
        }
        if format == nil {
            throw AudioDecodingError("WAV file has no fmt chunk (the file is cut off or not really WAV); a WAV needs a fmt chunk and a data chunk")
        }
        throw AudioDecodingError("WAV file has no data chunk (the file is cut off or empty); a WAV needs a fmt chunk and a data chunk")
    }
}
