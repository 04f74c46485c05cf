import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An open ALSA PCM (playback, or capture for a microphone), closed on deinit.
/// Blocking; use from one thread only.
final class ALSAPCM {
    let device: String
    let handle: OpaquePointer
    private let configuration: OpaquePointer?

    /// Opens `output.device` for playback (or `stream`), in blocking mode.
    init(_ output: ALSAOutput, stream: snd_pcm_stream_t = SND_PCM_STREAM_PLAYBACK) throws {
        device = output.device
        var config: OpaquePointer?
        if let text = output.configuration {
            config = try Self.parse(text, device: output.device)
        }
        var pcm: OpaquePointer?
        let result = config.map { snd_pcm_open_lconf(&pcm, output.device, stream, 0, $0) }
            ?? snd_pcm_open(&pcm, output.device, stream, 0)
        guard result == 0, let pcm else {
            if let config { snd_config_delete(config) }
            throw ALSAError.cannotOpen(device: output.device, message: Self.message(result))
        }
        handle = pcm
        configuration = config
    }

    deinit {
        snd_pcm_close(handle)
        if let configuration { snd_config_delete(configuration) }
    }

    /// Throws ``ALSAError/callFailed(device:call:message:)`` for a negative result.
    @discardableResult
    func check<T: BinaryInteger>(_ result: T, _ call: String) throws -> T {
        guard result >= 0 else {
            throw ALSAError.callFailed(device: device, call: call, message: Self.message(Int32(result)))
        }
        return result
    }

    /// The `snd_strerror` text of an ALSA error code.
    static func message(_ code: Int32) -> String {
        String(cString: snd_strerror(code))
    }

    /// Builds a configuration tree from `text` alone (not alsa.conf).
    private static func parse(_ text: String, device: String) throws -> OpaquePointer {
        var top: OpaquePointer?
        var result = snd_config_top(&top)
        guard result == 0, let top else {
            throw ALSAError.invalidConfiguration(device: device, message: message(result))
        }
        var input: OpaquePointer?
        result = text.withCString { snd_input_buffer_open(&input, $0, strlen($0)) }
        guard result == 0, let input else {
            snd_config_delete(top)
            throw ALSAError.invalidConfiguration(device: device, message: message(result))
        }
        result = snd_config_load(top, input)
        snd_input_close(input)
        guard result == 0 else {
            snd_config_delete(top)
            throw ALSAError.invalidConfiguration(device: device, message: message(result))
        }
        return top
    }
}
