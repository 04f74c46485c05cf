public import Foundation
public import LoaAudio

/// ALSA `file` PCMs for tests: a `null` slave (no sound card needed) and a WAV of exactly
/// the frames played, written by ALSA's file plugin.
///
/// The file plugin is not real-time: playback runs as fast as the CPU allows and
/// `snd_pcm_delay` is always 0, so use it to check bytes, not pacing.
public enum ALSAFilePCM {
    /// An output whose configuration defines the PCM `name` writing a WAV to `url`.
    public static func output(writingTo url: URL, name: String = "loa_out") -> ALSAOutput {
        ALSAOutput(device: name, configuration: configuration(writingTo: url, name: name))
    }

    /// The ALSA configuration text defining `name` as a file PCM with a null slave.
    public static func configuration(writingTo url: URL, name: String = "loa_out") -> String {
        """
            pcm.\(name) {
                type file
                slave.pcm { type null }
                file "\(quoted(url.path))"
                format "wav"
            }
            """
    }

    /// An output whose file PCM pipes the WAV stream into `command` (run by `/bin/sh`
    /// through popen). A command that reads slowly paces the playback, since the plugin
    /// blocks on the full pipe; it must read to end of input, or the test gets SIGPIPE.
    public static func output(pipingTo command: String, name: String = "loa_pipe") -> ALSAOutput {
        ALSAOutput(device: name, configuration: """
            pcm.\(name) {
                type file
                slave.pcm { type null }
                file "|\(quoted(command))"
                format "wav"
            }
            """)
    }

    /// Escapes text for an ALSA config string; the plugin expands %-sequences in the
    /// file name, where "%%" stands for "%".
    private static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "%", with: "%%")
    }

    /// Reads a WAV written by the file plugin: 16-bit PCM as Loa plays it. Tolerates a
    /// header whose sizes were not finalized (0 or too large) by taking the data chunk
    /// to the end of the file.
    public static func readPlayedPCM(at url: URL) throws -> PCMAudio {
        let bytes = [UInt8](try Data(contentsOf: url))
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw PlayedWAVError("\(url.path) is not a RIFF/WAVE file (\(bytes.count) bytes)")
        }
        var offset = 12
        var rate = 0
        var channels = 0
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            if id == "fmt " {
                guard u16(body) == 1, u16(body + 14) == 16 else {
                    throw PlayedWAVError("\(url.path): expected 16-bit PCM, found format \(u16(body)) with \(u16(body + 14)) bits")
                }
                channels = u16(body + 2)
                rate = u32(body + 4)
            } else if id == "data" {
                guard channels > 0 else { throw PlayedWAVError("\(url.path): data chunk before fmt chunk") }
                let end = (size == 0 || body + size > bytes.count) ? bytes.count : body + size
                let count = (end - body) / 2
                var samples = [Int16](repeating: 0, count: count)
                for i in 0..<count {
                    samples[i] = Int16(bitPattern: UInt16(bytes[body + 2 * i]) | UInt16(bytes[body + 2 * i + 1]) << 8)
                }
                return PCMAudio(sampleRate: rate, channels: channels, samples: samples)
            }
            offset = body + size + (size & 1)
        }
        throw PlayedWAVError("\(url.path): no data chunk")
    }
}

/// A WAV written by the file plugin could not be read back.
public struct PlayedWAVError: Error, CustomStringConvertible {
    /// What was wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
