public import Foundation
public import LoaAudio

/// Checks what an engine wrote and makes it a WAV file any decoder reads.
///
/// Engines that write WAV to a pipe cannot go back to fill in the sizes: eSpeak NG
/// leaves 0x7FFFF000 in the RIFF and data sizes. Those sizes are set to what
/// actually follows, so the file stored and sent to receivers is a proper WAV.
public enum SpeechWAV {
    /// The repaired WAV and its decoded audio.
    /// - Throws: ``SpeechError/invalidAudio(program:reason:)`` when it is not WAV or holds no sound.
    public static func prepared(_ output: Data, program: String) throws -> (wav: Data, audio: PCMAudio) {
        var wav = output
        guard wav.count >= 12, wav.prefix(4).elementsEqual("RIFF".utf8), wav[wav.startIndex + 8..<wav.startIndex + 12].elementsEqual("WAVE".utf8) else {
            let reason = output.isEmpty ? "no output at all" : "\(output.count) bytes that are not a RIFF/WAVE file"
            throw SpeechError.invalidAudio(program: program, reason: reason)
        }
        wav = Data(wav)  // index from 0
        var offset = 12
        while offset + 8 <= wav.count {
            let id = String(decoding: wav[offset..<offset + 4], as: UTF8.self)
            let size = Int(littleEndian(wav, at: offset + 4))
            let body = offset + 8
            if id == "data" {
                let available = wav.count - body
                if size > available {
                    setLittleEndian(&wav, UInt32(available), at: offset + 4)
                    setLittleEndian(&wav, UInt32(wav.count - 8), at: 4)
                }
                break
            }
            offset = body + size + (size & 1)
        }
        let audio: PCMAudio
        do {
            audio = try AudioDecoder.decode(wav)
        } catch {
            throw SpeechError.invalidAudio(program: program, reason: "\(error)")
        }
        guard audio.frameCount > 0 else { throw SpeechError.invalidAudio(program: program, reason: "the WAV holds no samples") }
        return (wav, audio)
    }

    private static func littleEndian(_ data: Data, at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(data[offset + $1]) << (8 * $1) }
    }

    private static func setLittleEndian(_ data: inout Data, _ value: UInt32, at offset: Int) {
        for index in 0..<4 { data[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
}
