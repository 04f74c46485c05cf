#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import LoaAudio
public import LoaMQTT
import LoaProtocol

/// What a receiver is assembled from: its link to the broker, where it downloads
/// media, its speaker and its clock. Everything else (its memory, outbox, verifier
/// state and media cache) lives in its state folder.
public struct ReceiverParts: Sendable {
    /// The broker connection: schedule documents, key announcements and receipts in; events and state out.
    public var link: any BrokerLink
    /// Where media not yet cached is downloaded from.
    public var downloader: any MediaDownloader
    /// The sound output; nil on a device without one (a notice board only).
    public var speaker: (any Speaker)?
    /// The time it plays by.
    public var clock: any InstantClock
    /// Where it fetches its hamlet's signed document while the broker is away; nil: the broker only.
    public var documents: (any ScheduleDocumentSource)?
    /// Where it reads the controller's clock to correct its own; nil: it plays by its own clock.
    public var controllerTime: (any ControllerTimeSource)?
    /// A microphone near the speaker, for proof of sound; nil without one.
    public var microphone: ALSAMicrophone?

    /// The parts; `speaker` is told instants on `clock`.
    public init(
        link: any BrokerLink, downloader: any MediaDownloader, speaker: (any Speaker)?, clock: any InstantClock,
        documents: (any ScheduleDocumentSource)? = nil, controllerTime: (any ControllerTimeSource)? = nil,
        microphone: ALSAMicrophone? = nil
    ) {
        self.microphone = microphone
        self.link = link
        self.downloader = downloader
        self.speaker = speaker
        self.clock = clock
        self.documents = documents
        self.controllerTime = controllerTime
    }

    /// A device's own parts, as its settings name them: an MQTT client of the configured
    /// broker (its will: the retained `offline` state), the controller's HTTP media,
    /// document and time endpoints, the ALSA output (if any, told instants on `clock`), and `clock`.
    /// - Throws: `ConfigurationError` for a media URL or ALSA config that cannot be used.
    public static func device(
        _ configuration: ReceiverConfiguration, clock: any InstantClock = SystemInstantClock()
    ) throws -> ReceiverParts {
        guard let base = URL(string: configuration.mediaBaseURL) else {
            throw ConfigurationError(
                path: "receiver configuration",
                problems: ["mediaBaseURL '\(configuration.mediaBaseURL)' is not a URL; e.g. http://127.0.0.1:8080"])
        }
        if let caFile = configuration.controllerCAFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ConfigurationError(
                path: "receiver configuration",
                problems: ["controllerCAFile '\(caFile)' cannot be read; give the PEM file of the CA that signed the controller's certificate, or leave it out to trust the system's CAs"])
        }
        let caFile = configuration.controllerCAFile
        let topics = Topics(site: configuration.site)
        let offline = DeviceState(device: configuration.deviceID, zone: configuration.hamlet, status: .offline, at: clock.now)
        let mqtt = try MQTTClient(options: MQTTClientOptions(
            host: configuration.broker.host, port: configuration.broker.port, clientID: configuration.deviceID,
            credentials: configuration.broker.username.map {
                .init(username: $0, password: configuration.broker.password ?? "")
            },
            tls: configuration.broker.caFile.map { MQTTClientOptions.TLS(caFile: $0) },
            will: MQTTMessage(
                topic: topics.deviceState(configuration.deviceID),
                payload: try WireCoding.encode(offline), qos: .atLeastOnce, retain: true)))
        return ReceiverParts(
            link: mqtt,
            downloader: HTTPMediaDownloader(baseURL: base, device: configuration.deviceID, token: configuration.mediaToken, caFile: caFile),
            speaker: try configuration.alsaOutput().map { ClockedSpeaker(ALSAPlayer(output: $0), clock: clock) }, clock: clock,
            documents: HTTPScheduleDocumentSource(baseURL: base, device: configuration.deviceID, token: configuration.mediaToken, caFile: caFile),
            controllerTime: configuration.clockSyncSeconds == 0
                ? nil : HTTPControllerTimeSource(
                    baseURL: base, device: configuration.deviceID, token: configuration.mediaToken, caFile: caFile),
            microphone: try configuration.microphoneInput().map { ALSAMicrophone(input: $0) })
    }
}
