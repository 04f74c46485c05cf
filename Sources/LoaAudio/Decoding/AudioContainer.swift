#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain

/// The container recognised from a file's first bytes.
enum AudioContainer: Equatable {
    case wav
    case mp3
    /// Not something Loa plays; the associated text explains why.
    case unknown(String)

    /// What Loa accepts, appended to every "not a file we play" message.
    static let accepted = "Loa plays WAV (PCM 8/16/24/32-bit) and MP3"

    /// Looks at the first bytes only.
    static func detect(_ data: Data) -> AudioContainer {
        let head = [UInt8](data.prefix(12))
        if head.isEmpty {
            return .unknown("the file is empty; \(accepted)")
        }
        if head.starts(with: Array("RIFF".utf8)) {
            if head.count >= 12, Array(head[8..<12]) == Array("WAVE".utf8) {
                return .wav
            }
            let kind = head.count >= 12 ? describe(Array(head[8..<12])) : "(cut off)"
            return .unknown("a RIFF file of type \(kind), not WAVE; \(accepted)")
        }
        if head.starts(with: Array("RF64".utf8)) {
            return .unknown("an RF64 (64-bit WAV) file, which is not supported; save it as a plain WAV under 4 GB. \(accepted)")
        }
        if head.starts(with: Array("ID3".utf8)) {
            return .mp3
        }
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xE0 == 0xE0,
           (head[1] >> 1) & 0x3 != 0, (head[1] >> 3) & 0x3 != 1 {
            // Frame sync (11 bits), a valid MPEG version and a valid layer.
            return .mp3
        }
        return .unknown("not a WAV or MP3 file (starts with \(describe(head))); \(accepted)")
    }

    /// Hex bytes, plus the text they spell when it is printable ASCII.
    static func describe(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(8)
        let hex = shown.map { $0.digits(width: 2, radix: 16) }.joined(separator: " ")
        if shown.allSatisfy({ (0x20..<0x7F).contains($0) }) {
            return "\(hex) \"\(String(decoding: shown, as: UTF8.self))\""
        }
        return hex
    }
}
