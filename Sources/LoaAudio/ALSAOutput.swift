/// Which ALSA PCM to play through.
public struct ALSAOutput: Sendable, Equatable, Codable {
    /// PCM name, e.g. "default", "plughw:0", or a name defined in `configuration`.
    public var device: String
    /// ALSA configuration text. When set, the PCM is opened with `snd_pcm_open_lconf`
    /// on a configuration tree parsed from this text alone (in-process, so safe for
    /// parallel tests) instead of the system's alsa.conf. When nil, `device` is looked
    /// up in the system configuration.
    public var configuration: String?

    /// Names the PCM, optionally with its own configuration text.
    public init(device: String, configuration: String? = nil) {
        self.device = device
        self.configuration = configuration
    }
}
