public import Foundation
public import LoaDomain
import LoaMQTT
public import LoaStore
import Logging

/// What the announcement desk reads and writes: announcements, and the media they play.
public typealias AnnouncementDeskStore = AnnouncementStore & MediaCatalog

/// One-off announcements a leader sends (`loa announce`, the API, the console):
/// checked, stored and logged, then the hamlets' documents republished. An
/// emergency does not come this way: it needs a schedule and two approvers.
public struct AnnouncementDesk: Sendable {
    let site: Site
    let store: any AnnouncementDeskStore
    let dispatcher: ScheduleDispatcher
    let clock: @Sendable () -> Date
    let logger: Logger

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
            _ = try await dispatcher.publishSchedules(for: announcement.hamlets, planned: try await dispatcher.plannedAirings(now: now))
        }
        let published = await delivery.finishes(within: Self.deliveryWait)
        if !published {
            logger.warning("announcement stored; delivery pending", metadata: ["id": "\(announcement.id)"])
        }
        return SentAnnouncement(announcement: announcement, delivery: published ? .published : .pending)
    }

    /// How long `send(_:)` waits for the broker to take the hamlets' documents.
    static let deliveryWait: Duration = .seconds(3)
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

