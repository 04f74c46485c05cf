#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import LoaAudio
import LoaProtocol
import LoaDomain

/// A receiver's settings file (JSON), one per device.
public struct ReceiverConfiguration: Sendable, Codable, Equatable {
    /// The device id: MQTT client id and username, and the name in every event.
    public var deviceID: String
    /// The site (commune) id.
    public var site: String
    /// The hamlet whose schedule this device plays.
    public var hamlet: String
    public var broker: Broker
    /// The controller's verifier key (`name+keyid+base64key`, from `GET /log/key` or
    /// `loa device add`): every downward message must carry its signature.
    public var controllerKey: String
    /// Where media is fetched: `{mediaBaseURL}/media/{sha256}`.
    public var mediaBaseURL: String
    /// For a controller at an `https://` address: the CA certificate(s) (PEM) that signed
    /// its certificate, trusted instead of the system's (a province's own CA); nil: the
    /// system's trusted CAs.
    public var controllerCAFile: String?
    /// This device's media token (from `loa device add`), sent as `Bearer {deviceID}:{token}`.
    public var mediaToken: String
    /// Folder for the media cache and what the receiver must remember across restarts.
    public var stateDirectory: String
    /// The ALSA PCM to play through; nil for a device without a speaker (a notice board
    /// only). A device without a speaker neither plays nor reports audio items: only a
    /// device with a speaker reports them, so a board never shows up as a missed airing.
    public var audio: Audio?
    /// The notice board this device shows on a screen (a kiosk browser on `http://host:port/`);
    /// nil for a loudspeaker without a screen.
    public var board: BoardSettings?
    /// How late a start still counts as airing the item, in seconds (default 5).
    public var lateGraceSeconds: Double?
    /// How long the broker may be away before the hamlet's document is fetched from the
    /// controller over HTTP instead, and how often then, in seconds (default 30).
    public var scheduleFetchSeconds: Double?
    /// How often the device measures its clock against the controller's, in seconds
    /// (default 300; 0: never, for a device whose clock is kept by other means). Cheap
    /// boards drift by up to 50 ppm, 15 ms in 5 minutes.
    public var clockSyncSeconds: Double?
    /// A microphone near the speaker, for proof of sound; nil without one.
    public var microphone: Microphone?

    /// The microphone that proves the speaker sounded (docs/protocol.md "Proof of sound").
    public struct Microphone: Sendable, Equatable, Codable {
        /// ALSA capture PCM name, e.g. "default" or "plughw:1".
        public var device: String
        /// A file of ALSA configuration text defining `device` (instead of the system's).
        public var alsaConfigFile: String?
        /// The daily self-test's local time, "HH:MM" in the commune's time zone (default
        /// "12:15", in the midday rest when most communes are quiet but before quiet hours
        /// that start at 11:30 would forbid it: choose a moment outside quiet hours).
        public var selfTestAt: String?

        public init(device: String, alsaConfigFile: String? = nil, selfTestAt: String? = nil) {
            self.device = device
            self.alsaConfigFile = alsaConfigFile
            self.selfTestAt = selfTestAt
        }
    }

    /// The broker connection.
    public struct Broker: Sendable, Codable, Equatable {
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?
        /// The CA certificate (PEM) that signed the broker's: set it to connect over TLS.
        public var caFile: String?
        public init(host: String, port: Int, username: String? = nil, password: String? = nil, caFile: String? = nil) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.caFile = caFile
        }
    }

    /// The sound output.
    public struct Audio: Sendable, Codable, Equatable {
        /// ALSA PCM name, e.g. `default` or `plughw:0`.
        public var device: String
        /// An ALSA config file loaded instead of the system's (for `file` PCMs without a sound card).
        public var alsaConfigFile: String?
        public init(device: String, alsaConfigFile: String? = nil) {
            self.device = device
            self.alsaConfigFile = alsaConfigFile
        }
    }

    public init(
        deviceID: String, site: String, hamlet: String, broker: Broker, controllerKey: String, mediaBaseURL: String,
        mediaToken: String, stateDirectory: String, audio: Audio?, lateGraceSeconds: Double? = nil,
        board: BoardSettings? = nil, scheduleFetchSeconds: Double? = nil, clockSyncSeconds: Double? = nil
    ) {
        self.scheduleFetchSeconds = scheduleFetchSeconds
        self.clockSyncSeconds = clockSyncSeconds
        self.mediaToken = mediaToken
        self.controllerKey = controllerKey
        self.deviceID = deviceID
        self.site = site
        self.hamlet = hamlet
        self.broker = broker
        self.mediaBaseURL = mediaBaseURL
        self.stateDirectory = stateDirectory
        self.audio = audio
        self.lateGraceSeconds = lateGraceSeconds
        self.board = board
    }

    /// The ALSA capture PCM of the microphone, with its config file read in; nil without one.
    public func microphoneInput() throws -> ALSAOutput? {
        guard let microphone else { return nil }
        guard let file = microphone.alsaConfigFile else { return ALSAOutput(device: microphone.device) }
        return ALSAOutput(device: microphone.device, configuration: try String(contentsOfFile: file, encoding: .utf8))
    }

    /// The ALSA output this configuration names, with its config file read in; nil without a speaker.
    public func alsaOutput() throws -> ALSAOutput? {
        guard let audio else { return nil }
        guard let file = audio.alsaConfigFile else { return ALSAOutput(device: audio.device) }
        return ALSAOutput(device: audio.device, configuration: try String(contentsOfFile: file, encoding: .utf8))
    }

    /// Refuses settings a device cannot work with: neither a speaker nor a board, a
    /// controller address that is not HTTP(S), or a board on an impossible port or rotation.
    /// - Throws: `ConfigurationError` listing every problem.
    public func validate(path: String = "receiver configuration") throws {
        var problems: [String] = []
        if audio == nil && board == nil {
            problems.append(
                "neither \"audio\" nor \"board\" is set: the device would have no speaker and no screen; "
                    + "give \"audio\": {\"device\": \"default\"} for a loudspeaker, \"board\": {\"port\": 8090} for a notice board, or both")
        }
        if let board {
            if !(0...65535).contains(board.port) { problems.append("board.port \(board.port) is not a TCP port (0–65535)") }
            if !(board.rotateSeconds > 0) { problems.append("board.rotateSeconds must be more than 0, not \(board.rotateSeconds)") }
        }
        let scheme = URL(string: mediaBaseURL)?.scheme?.lowercased()
        if scheme != "http" && scheme != "https" {
            problems.append("mediaBaseURL '\(mediaBaseURL.prefix(200))' is not an http:// or https:// address; e.g. https://loa.xa-ha-binh.vn")
        }
        if let seconds = scheduleFetchSeconds, !(1...3600).contains(seconds) {
            problems.append("scheduleFetchSeconds \(seconds) is out of range; give 1–3600 (default 30)")
        }
        if let time = microphone?.selfTestAt, LocalTime(text: time) == nil {
            problems.append("microphone.selfTestAt '\(time)' is not a time of day; write HH:MM, e.g. 12:15")
        }
        if let seconds = clockSyncSeconds, !(seconds == 0 || (10...86_400).contains(seconds)) {
            problems.append("clockSyncSeconds \(seconds) is out of range; give 10–86400, or 0 for never (default 300)")
        }
        if !problems.isEmpty { throw ConfigurationError(path: path, problems: problems) }
    }
}
