public import Foundation
public import LoaAudio

/// Writes 16-bit PCM as a plain WAV file (44-byte header), for tests that upload audio they made.
public enum WAVFile {
    /// The WAV bytes of `audio`.
    public static func bytes(of audio: PCMAudio) -> Data {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let dataSize = audio.samples.count * 2
        var bytes: [UInt8] = Array("RIFF".utf8) + le32(36 + dataSize) + Array("WAVEfmt ".utf8) + le32(16) + le16(1)
        bytes += le16(audio.channels) + le32(audio.sampleRate) + le32(audio.sampleRate * audio.channels * 2)
        bytes += le16(audio.channels * 2) + le16(16) + Array("data".utf8) + le32(dataSize)
        bytes.reserveCapacity(bytes.count + dataSize)
        for sample in audio.samples {
            bytes += le16(Int(UInt16(bitPattern: sample)))
        }
        return Data(bytes)
    }
}
