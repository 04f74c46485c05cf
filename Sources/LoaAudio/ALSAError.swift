/// A failure of ALSA playback, naming the device and the failing ALSA call with its `snd_strerror` text.
public enum ALSAError: Error, CustomStringConvertible, Equatable {
    /// The configuration text of an ``ALSAOutput`` could not be parsed.
    case invalidConfiguration(device: String, message: String)
    /// `snd_pcm_open` (or `snd_pcm_open_lconf`) failed, e.g. an unknown PCM name or a busy card.
    case cannotOpen(device: String, message: String)
    /// The device does not take the audio's sample rate; `nearest` is what it offered.
    case unsupportedRate(device: String, requested: Int, nearest: Int)
    /// The audio itself cannot be played (no channels, no sample rate).
    case unplayableAudio(device: String, message: String)
    /// Another ALSA call failed.
    case callFailed(device: String, call: String, message: String)

    /// The PCM name involved.
    public var device: String {
        switch self {
        case .invalidConfiguration(let device, _), .cannotOpen(let device, _),
             .unsupportedRate(let device, _, _), .unplayableAudio(let device, _),
             .callFailed(let device, _, _):
            return device
        }
    }

    /// What went wrong and what to check.
    public var description: String {
        switch self {
        case .invalidConfiguration(let device, let message):
            return "cannot parse the ALSA configuration given for PCM \"\(device)\" (snd_config_load: \(message)); check the configuration text"
        case .cannotOpen(let device, let message):
            return "cannot open PCM \"\(device)\" (snd_pcm_open: \(message)); check the device name (aplay -L lists them) and that no other program holds the card"
        case .unsupportedRate(let device, let requested, let nearest):
            return "PCM \"\(device)\" cannot play \(requested) Hz (nearest it offers is \(nearest) Hz); use a plug device such as \"plughw:0\" or \"default\", or resample the audio"
        case .unplayableAudio(let device, let message):
            return "cannot play on PCM \"\(device)\": \(message)"
        case .callFailed(let device, let call, let message):
            return "PCM \"\(device)\": \(call) failed: \(message)"
        }
    }
}
