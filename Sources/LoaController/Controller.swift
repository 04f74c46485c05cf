public import Foundation
import LoaAudio
public import LoaDomain
public import LoaMQTT
public import LoaProtocol
public import LoaStore
public import Logging
import Synchronization

/// The controller's work, apart from how requests reach it: accept media and
/// announcements, keep each hamlet's retained schedule document current on the
/// broker, and store what the receivers report.
public final class Controller: Sendable {
    public let configuration: ControllerConfiguration
    public let store: any ControllerStore
    public let media: MediaStore
    /// Which devices may fetch media.
    public let mediaAccess: MediaAccess
    /// The broker: hamlet documents, receipts, key announcements and checkpoints out; events and states in.
    let mqtt: any BrokerLink
    /// The controller's signing keys: the one in force, and the next during a rotation.
    public let keys: ControllerKeyRing
    /// Versions of receipt messages: per device topic they only grow, across restarts too.
    let receiptVersions = VersionClock()
    let topics: Topics
    let plan = ZoneSchedulePlan()
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Text-to-speech for text programmes (`speech(for:)`), from `configuration.speech`.
    let speechMedia: SpeechMedia
    /// What it counts while it runs, for `/metrics`.
    public let metrics = ControllerMetrics()
    /// Where requests do their heavy work (plans, reports, log listings), off the pool
    /// that serves health, media and MQTT.
    public let requestWork = RequestWork()

    /// - Parameters:
    ///   - configuration: site, broker, HTTP and data folder.
    ///   - store: the opened database.
    ///   - mqtt: the broker link, an `MQTTClient` connecting or connected (tests: an in-memory link).
    ///   - keys: the signing keys (`ControllerKeyFiles.load`); the store signs with the same ring.
    ///   - clock: the time source; tests pass a settable one.
    public init(
        configuration: ControllerConfiguration, store: any ControllerStore, media: MediaStore, mediaAccess: MediaAccess,
        mqtt: any BrokerLink, keys: ControllerKeyRing, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loa.controller")
    ) {
        self.configuration = configuration
        self.store = store
        self.media = media
        self.mediaAccess = mediaAccess
        self.mqtt = mqtt
        self.keys = keys
        self.topics = Topics(site: configuration.site.id)
        self.clock = clock
        self.logger = logger
        self.speechMedia = SpeechMedia(settings: configuration.speech, dataDirectory: configuration.dataDirectory)
    }

    /// Seals every downward message (schedule documents, receipts) with the key in force now.
    var signer: MessageSigner { MessageSigner(key: keys.active) }

    // MARK: Media

    /// Stores uploaded audio after checking that it decodes.
    /// - Throws: `ControllerError.invalidAudio` when it is not WAV or MP3 Loa can play.
    public func addMedia(_ data: Data) async throws -> MediaReference {
        let audio: PCMAudio
        do {
            audio = try AudioDecoder.decode(data)
        } catch {
            throw ControllerError.invalidAudio("\(error)")
        }
        let sha256 = try media.store(data)
        let reference = MediaReference(
            sha256: sha256, bytes: data.count, contentType: Self.contentType(of: data),
            durationMs: Int((audio.duration.seconds * 1000).rounded()))
        try await store.saveMedia(reference, at: clock())
        return reference
    }

    private static func contentType(of data: Data) -> String {
        data.starts(with: Array("RIFF".utf8)) ? "audio/wav" : "audio/mpeg"
    }

    /// Stores a notice's attachment (a PNG or JPEG image or a PDF, ≤ 10 MB) with the
    /// audio, so the boards fetch it by its sha256 with their device token as they fetch audio.
    /// - Throws: `ControllerError.invalidAttachment` for anything else, or a larger file.
    public func addNoticeAttachment(_ data: Data) async throws -> MediaReference {
        if let problem = NoticeAttachmentType.problem(with: data) { throw ControllerError.invalidAttachment(problem) }
        let sha256 = try media.store(data)
        let reference = MediaReference(
            sha256: sha256, bytes: data.count, contentType: NoticeAttachmentFormat.contentType(of: data) ?? "", durationMs: 0)
        try await store.saveMedia(reference, at: clock())
        return reference
    }

    // MARK: Announcements

    /// The longest title an announcement may have, in characters: it travels in every
    /// schedule document of its hamlets, which a receiver accepts up to 256 KiB.
    public static let titleLimit = TextLimits.title

    /// Checks and stores an announcement, then republishes the schedule document
    /// of every hamlet it targets (`send(_:)`, without the delivery state).
    /// - Throws: `ControllerError.invalidRequest` naming the field at fault.
    @discardableResult
    public func announce(_ request: AnnouncementRequest) async throws -> Announcement {
        try await send(request).announcement
    }

    /// Checks and stores a one-off announcement, then publishes the hamlets'
    /// documents, waiting at most a few seconds for the broker.
    /// - Throws: `ControllerError.invalidRequest` naming the field at fault.
    /// - Returns: the announcement and whether its documents were published or are pending.
    public func send(_ request: AnnouncementRequest) async throws -> SentAnnouncement {
        let site = configuration.site
        var problems: [String] = []
        let title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems.append("title: is empty; give the announcement a short title") }
        if title.count > Self.titleLimit {
            problems.append("title: \(title.count) characters; at most \(Self.titleLimit) (a title is read on the board and in the log)")
        }
        if request.hamlets.isEmpty { problems.append("hamlets: name at least one hamlet of \(site.id)") }
        for hamlet in request.hamlets where site.hamlet(hamlet) == nil {
            problems.append(
                "hamlets: '\(hamlet)' is not a hamlet of \(site.id); known: \(site.hamlets.map(\.id).joined(separator: ", "))")
        }
        let media = try await store.media(sha256: request.media)
        if media == nil { problems.append("media: no audio with sha256 \(request.media); upload it first") }
        guard problems.isEmpty, let media else { throw ControllerError.invalidRequest(problems) }

        let now = clock()
        let announcement = Announcement(
            id: UUID().uuidString.lowercased(), title: title.precomposedStringWithCanonicalMapping,
            category: request.category ?? .other, priority: request.priority ?? .normal, media: media,
            hamlets: Array(Set(request.hamlets)).sorted(), startAt: request.startAt ?? now, createdAt: now)
        try await store.insert(announcement)
        logger.info("announcement stored", metadata: ["id": "\(announcement.id)", "hamlets": "\(announcement.hamlets)"])
        // Stored is what counts: the answer never waits on a broker that is down. The
        // documents go out when the broker takes them (the publication keeps trying, and
        // the periodic refresh republishes); until then delivery is pending.
        let delivery = Task {
            let planned = try await plannedAirings(now: now)
            for hamlet in announcement.hamlets {
                try await publishSchedule(for: hamlet, planned: planned)
            }
        }
        let published = await delivery.finishes(within: Self.deliveryWait)
        if !published {
            logger.warning("announcement stored; delivery pending", metadata: ["id": "\(announcement.id)"])
        }
        return SentAnnouncement(announcement: announcement, delivery: published ? .published : .pending)
    }

    /// How long `send(_:)` waits for the broker to take the hamlets' documents.
    static let deliveryWait: Duration = .seconds(3)

    // MARK: The transparency log

    /// Signs a checkpoint into the log's history and publishes it, retained, on
    /// `loa/v1/{site}/log/checkpoint`.
    @discardableResult
    public func publishCheckpoint() async throws -> String {
        let note = try await store.signCheckpoint(at: clock())
        try await publish("checkpoint", topic: topics.logCheckpoint, payload: Data(note.utf8), retain: true)
        return note
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

/// What an officer (or the CLI) asks the controller to air.
public struct AnnouncementRequest: Sendable, Codable, Equatable {
    public var title: String
    public var category: Category?
    public var priority: PriorityClass?
    /// SHA-256 of uploaded media.
    public var media: String
    public var hamlets: [String]
    /// When to air; now when absent.
    public var startAt: Date?

    public init(title: String, category: Category? = nil, priority: PriorityClass? = nil, media: String, hamlets: [String], startAt: Date? = nil) {
        self.title = title
        self.category = category
        self.priority = priority
        self.media = media
        self.hamlets = hamlets
        self.startAt = startAt
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
