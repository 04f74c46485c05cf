public import Foundation
import LoaDomain
public import LoaMQTT
public import LoaProtocol
import LoaPostgresStore
public import LoaStore
public import Logging
import Synchronization

/// The controller, put together: its use-case services over one store and one
/// broker link. Routes, console pages, the CLI and tests reach the work through
/// the service that does it, and read through the store API (`store`).
///
/// | Service | Its job |
/// |---|---|
/// | `media` | uploaded audio, notice attachments, speech of text programmes |
/// | `programmes` | schedules applied, programmes from the console, approvals, withdrawals |
/// | `announcements` | one-off announcements |
/// | `dispatcher` | each hamlet's signed schedule document on the broker |
/// | `ingestion` | receivers' events and states in, receipts out |
/// | `keyRotation` | the signing key's rotation with notice |
/// | `checkpoints` | the log's signed checkpoints, published |
/// | `deliveries` | where a broadcast stands, receiver by receiver |
/// | `provinceExport` | the commune's export to the province |
/// | `relay` | the pulls of live streams for relay programmes, and who may listen |
/// | `live` | a leader speaking live: the session's programme and its audio |
public final class Controller: Sendable {
    public let configuration: ControllerConfiguration
    /// The store API: what routes and pages read.
    public let store: any ControllerStore
    public let media: MediaLibrary
    public let programmes: ProgrammeDesk
    public let announcements: AnnouncementDesk
    public let dispatcher: ScheduleDispatcher
    public let ingestion: ReportIngestion
    /// Where several controllers share the commune's database: whether this one takes in its events now.
    let eventsLease: EventsLease?
    public let keyRotation: KeyRotation
    public let checkpoints: CheckpointPublisher
    public let deliveries: DeliveryStatus
    public let provinceExport: ProvinceExporter
    /// The relay of live streams; nil without `relay` in the settings.
    public let relay: RelayStation?
    /// Live sessions; nil without `relay` in the settings.
    public let live: LiveDesk?
    /// The province's emergencies addressed to this commune, taken into its schedule;
    /// nil on an engine without a province (SQLite: one commune on its own).
    public let provinceIntake: ProvinceEmergencyIntake?
    /// The province's desk on the same database, for its web console (`/province`);
    /// nil on SQLite.
    public let provinceDesk: (any ProvinceConsoleStore)?
    /// Which devices may fetch media.
    public let mediaAccess: MediaAccess
    /// The controller's signing keys: the one in force, and the next during a rotation.
    public let keys: ControllerKeyRing
    let clock: @Sendable () -> Date
    let logger: Logger
    /// What it counts while it runs, for `/metrics`.
    public let metrics: ControllerMetrics
    /// Where requests do their heavy work (plans, reports, log listings), off the pool
    /// that serves health, media and MQTT.
    public let requestWork = RequestWork()

    /// - Parameters:
    ///   - configuration: site, broker, HTTP and data folder.
    ///   - store: the opened store (`SQLiteStore`).
    ///   - media: the media folder.
    ///   - link: the broker link, an `MQTTClient` connecting or connected (tests: an in-memory link).
    ///   - keys: the signing keys (`keyVault.load`); the store signs with the same ring.
    ///   - keyVault: where the keys are kept: the data folder, or the province's database.
    ///   - clock: the time source; tests pass a settable one.
    public init(
        configuration: ControllerConfiguration, store: any ControllerStore, media: MediaStore, mediaAccess: MediaAccess,
        link: any BrokerLink, keys: ControllerKeyRing, keyVault: any ControllerKeyVault, clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "loa.controller")
    ) {
        let site = configuration.site
        let metrics = ControllerMetrics()
        let topics = Topics(site: site.id)
        let publisher = DownwardPublisher(link: link, metrics: metrics)
        // Receipts and key announcements share one clock of versions: per topic they only grow.
        let versions = VersionClock()
        // Several controllers share a commune's PostgreSQL database; one of them takes in its events.
        let eventsLease = store is PostgresStore ? EventsLease() : nil
        self.eventsLease = eventsLease
        self.configuration = configuration
        self.store = store
        self.mediaAccess = mediaAccess
        self.keys = keys
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.media = MediaLibrary(
            files: media, catalog: store, copies: store as? any MediaCopies,
            speechMedia: SpeechMedia(settings: configuration.speech, dataDirectory: configuration.dataDirectory),
            clock: clock, logger: logger)
        let dispatcher = ScheduleDispatcher(
            site: site, quietHours: configuration.quietHours, store: store, media: self.media, publisher: publisher, keys: keys,
            topics: topics, relay: configuration.relay, metrics: metrics, clock: clock, logger: logger)
        self.dispatcher = dispatcher
        let programmes = ProgrammeDesk(site: site, store: store, media: self.media, dispatcher: dispatcher, clock: clock, logger: logger)
        self.programmes = programmes
        self.announcements = AnnouncementDesk(site: site, store: store, dispatcher: dispatcher, clock: clock, logger: logger)
        self.ingestion = ReportIngestion(
            link: link, topics: topics, store: store, site: site, registry: mediaAccess.registry, publisher: publisher, keys: keys,
            versions: versions, metrics: metrics, clock: clock, logger: logger, eventsLease: eventsLease)
        let checkpoints = CheckpointPublisher(log: store, publisher: publisher, topic: topics.logCheckpoint, clock: clock)
        self.checkpoints = checkpoints
        self.keyRotation = KeyRotation(
            keys: keys, keyVault: keyVault,
            minimumKeyNotice: configuration.keyRotationNoticeSeconds ?? KeyRotation.defaultKeyNotice, audit: store,
            publisher: publisher, topics: topics, versions: versions, dispatcher: dispatcher, checkpoints: checkpoints,
            clock: clock, logger: logger)
        self.deliveries = DeliveryStatus(site: site, store: store, clock: clock)
        // On a province's shared PostgreSQL database: the province's emergencies to this commune.
        self.provinceIntake = (store as? any ProvinceEmergencyInbox).map { inbox in
            ProvinceEmergencyIntake(site: site, inbox: inbox, programmes: programmes, store: store, clock: clock, logger: logger)
        }
        self.provinceDesk = (store as? PostgresStore).map { PostgresProvince(database: $0.database, logger: logger) }
        let relay = configuration.relay.map { RelayStation(settings: $0, site: site.id, dispatcher: dispatcher, logger: logger) }
        self.relay = relay
        if let settings = configuration.relay, let relay {
            self.live = LiveDesk(settings: settings, site: site, programmes: programmes, station: relay, clock: clock, logger: logger)
        } else {
            self.live = nil
        }
        self.provinceExport = ProvinceExporter(
            site: site, store: store, settings: configuration.provinceExport, clock: clock, logger: logger)
    }
}

/// Versions that only grow, across restarts: milliseconds since 1970, or one
/// more than the last one handed out when the clock has not moved on.
final class VersionClock: Sendable {
    private let last = Mutex(0)

    func next(now: Date) -> Int {
        last.withLock { last in
            last = max(last + 1, Int(now.timeIntervalSince1970 * 1000))
            return last
        }
    }
}

/// A request the controller cannot carry out, with what would be right.
public enum ControllerError: Error, Equatable, CustomStringConvertible {
    case invalidRequest([String])
    case invalidAudio(String)
    /// A notice attachment that is not a PNG, JPEG or PDF of at most 10 MB.
    case invalidAttachment(String)

    public var description: String {
        switch self {
        case .invalidRequest(let problems): problems.joined(separator: "; ")
        case .invalidAudio(let reason): "the file is not audio Loa can play: \(reason)"
        case .invalidAttachment(let reason): reason
        }
    }
}
