#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain

/// The sample layout announced by a WAV fmt chunk, already checked to be one Loa can convert.
struct WAVFormat {
    enum Encoding { case integer, float }

    var encoding: Encoding
    var channels: Int
    var sampleRate: Int
    var bytesPerSample: Int
    var blockAlign: Int

    private static let pcmTag: UInt16 = 0x0001
    private static let floatTag: UInt16 = 0x0003
    private static let extensibleTag: UInt16 = 0xFFFE

    init(_ chunk: Slice<UnsafeRawBufferPointer>) throws {
        let fmt = UnsafeRawBufferPointer(rebasing: chunk)
        guard fmt.count >= 16 else {
            throw AudioDecodingError("WAV fmt chunk is \(fmt.count) bytes, too short; it needs at least 16")
        }
        var tag = fmt.loadLE(UInt16.self, at: 0)
        channels = Int(fmt.loadLE(UInt16.self, at: 2))
        sampleRate = Int(fmt.loadLE(UInt32.self, at: 4))
        blockAlign = Int(fmt.loadLE(UInt16.self, at: 12))
        let bits = Int(fmt.loadLE(UInt16.self, at: 14))
        if tag == Self.extensibleTag {
            guard fmt.count >= 40 else {
                throw AudioDecodingError("WAV fmt chunk says WAVE_FORMAT_EXTENSIBLE but is only \(fmt.count) bytes; it needs 40")
            }
            // The sub-format GUID starts with the real format tag.
            tag = fmt.loadLE(UInt16.self, at: 24)
        }
        switch tag {
        case Self.pcmTag:
            encoding = .integer
            guard [8, 16, 24, 32].contains(bits) else {
                throw AudioDecodingError("WAV fmt chunk: \(bits)-bit samples are not supported; use 8, 16, 24 or 32-bit PCM")
            }
        case Self.floatTag:
            encoding = .float
            guard bits == 32 else {
                throw AudioDecodingError("WAV fmt chunk: \(bits)-bit floating-point samples are not supported; use 32-bit float or 8, 16, 24 or 32-bit PCM")
            }
        default:
            throw AudioDecodingError("WAV fmt chunk: \(Self.name(ofTag: tag)) is not supported; use uncompressed PCM (8, 16, 24 or 32-bit), or MP3 as a plain .mp3 file")
        }
        guard channels > 0 else {
            throw AudioDecodingError("WAV fmt chunk says 0 channels; it must be 1 (mono) or more")
        }
        guard sampleRate > 0 else {
            throw AudioDecodingError("WAV fmt chunk says a sample rate of 0; it must be positive, e.g. 22050 or 44100")
        }
        bytesPerSample = bits / 8
        guard blockAlign == channels * bytesPerSample else {
            throw AudioDecodingError("WAV fmt chunk: block align \(blockAlign) does not match \(channels) channel(s) of \(bits)-bit samples; it should be \(channels * bytesPerSample)")
        }
    }

    /// Converts whole frames of `data` (a trailing partial frame is ignored).
    func convert(_ data: UnsafeRawBufferPointer) -> PCMAudio {
        let count = data.count / blockAlign * channels
        let samples = [Int16](unsafeUninitializedCapacity: count) { out, initialized in
            switch (encoding, bytesPerSample) {
            case (.integer, 1):
                for i in 0..<count { out[i] = Int16(truncatingIfNeeded: (Int(data[i]) - 128) << 8) }
            case (.integer, 2):
                for i in 0..<count { out[i] = Int16(bitPattern: data.loadLE(UInt16.self, at: i * 2)) }
            case (.integer, 3):
                for i in 0..<count {
                    out[i] = Int16(bitPattern: UInt16(data[i * 3 + 1]) | UInt16(data[i * 3 + 2]) << 8)
                }
            case (.integer, _):
                for i in 0..<count {
                    out[i] = Int16(truncatingIfNeeded: Int32(bitPattern: data.loadLE(UInt32.self, at: i * 4)) >> 16)
                }
            case (.float, _):
                for i in 0..<count {
                    let value = Float(bitPattern: data.loadLE(UInt32.self, at: i * 4)) * 32768
                    out[i] = value.isNaN ? 0 : Int16(max(-32768, min(32767, value.rounded())))
                }
            }
            initialized = count
        }
        return PCMAudio(sampleRate: sampleRate, channels: channels, samples: samples)
    }

    private static func name(ofTag tag: UInt16) -> String {
        let known: [UInt16: String] = [
            0x0002: "Microsoft ADPCM", 0x0006: "A-law", 0x0007: "µ-law",
            0x0011: "IMA ADPCM", 0x0031: "GSM 6.10", 0x0050: "MPEG audio", 0x0055: "MP3 inside WAV",
        ]
        let hex = "0x" + tag.digits(width: 4, radix: 16)
        return known[tag].map { "\($0) (format \(hex))" } ?? "format \(hex)"
    }
}
