import Foundation
import LoaDomain
public import LoaProtocol
import LoaMQTT
public import LoaStore
import Logging

/// What the dispatcher reads and writes: the schedule and its approvals, the
/// announcements, each hamlet's document, and the missed records.
public typealias DispatchStore = ScheduleStore & AnnouncementStore & ZoneDocumentStore & DeviceReportStore

/// Keeps each hamlet's retained schedule document current on the broker: the
/// announcements and approved airings of the next hours, sealed with the key in
/// force, versions only growing; what can no longer be sent is recorded as missed.
public struct ScheduleDispatcher: Sendable {
    let site: Site
    /// The controller's quiet hours, when the schedule gives none.
    let quietHours: [QuietHours]?
    let store: any DispatchStore
    /// The speech of text programmes.
    let media: MediaLibrary
    let publisher: DownwardPublisher
    let keys: ControllerKeyRing
    let topics: Topics
    /// The relay that re-serves live streams; nil: relay programmes are not dispatched.
    let relay: RelaySettings?
    let plan = ZoneSchedulePlan()
    let metrics: ControllerMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    /// How long a sealed schedule document stays valid; the schedule refresh (`ControllerJobs.scheduleRefresh`) republishes well before.
    public static let scheduleValidity: Duration = .seconds(72 * 3600)

    /// Publishes the next version of a hamlet's schedule document (retained, QoS 1):
    /// its announcements and the approved airings of the active schedule.
    @discardableResult
    public func publishSchedule(for hamlet: String) async throws -> ZoneSchedule {
        guard let schedule = try await publishSchedules(for: [hamlet], planned: await plannedAirings(now: clock()))[hamlet] else {
            preconditionFailure("publishSchedules answers for every hamlet it publishes, or throws")
        }
        return schedule
    }

    /// Republishes every hamlet's document, e.g. at start-up and every few hours so
    /// the window moves on, and after a schedule is applied or approved.
    public func publishAllSchedules() async throws {
        try await publishSchedules(for: site.hamlets.map(\.id), planned: try await plannedAirings(now: clock()))
    }

    /// Publishes the next document of each of `hamlets` from its announcements and
    /// `planned`, and records as missed what is past and was never sent (`ZoneDispatch`).
    /// The documents are stored in one transaction (a commune's hamlets together, not a
    /// transaction each), then each is published. One hamlet's failure (a document that
    /// cannot be made, a broker refusal) does not keep the others' documents from going
    /// out: the first failure is thrown after all were tried.
    /// - Returns: each hamlet's document as published.
    @discardableResult
    func publishSchedules(for hamlets: [String], planned: PlannedAirings) async throws -> [String: ZoneSchedule] {
        let now = clock()
        let window = now.addingTimeInterval(-plan.lookBack.seconds)...now.addingTimeInterval(plan.lookAhead.seconds)
        let announcements = try await store.announcements(startingIn: window)
        var itemMedia: [String: MediaReference] = [:]
        var candidates: [String: [ScheduledItem]] = [:]
        var airableSince = planned.airableSince
        for hamlet in hamlets {
            let forHamlet = announcements.filter { $0.hamlets.contains(hamlet) }
            for announcement in forHamlet { airableSince["\(announcement.id)@\(hamlet)"] = announcement.createdAt }
            let announced = await withItemMedia(
                plan.items(for: hamlet, from: forHamlet, now: now).map { ScheduledItem(announcement: $0, zone: hamlet) },
                known: &itemMedia)
            candidates[hamlet] = (announced + planned.items[hamlet, default: []]).inAirOrder()
        }
        let (airable, listed) = (airableSince, candidates)
        let built = try await store.publishNextZoneDocuments(zones: hamlets, at: now) { hamlet, version, previousDocument in
            try self.buildZoneDocument(
                hamlet: hamlet, version: version, previousDocument: previousDocument, candidates: listed[hamlet] ?? [],
                planned: planned, airableSince: airable, topic: self.topics.zoneSchedule(hamlet), now: now)
        }
        var firstFailure: (any Error)?
        func failed(_ hamlet: String, _ error: any Error) {
            logger.error("schedule not published", metadata: ["hamlet": "\(hamlet)", "error": "\(error)"])
            firstFailure = firstFailure ?? error
        }
        var documents: [(hamlet: String, built: BuiltZoneDocument)] = []
        for hamlet in hamlets {
            switch built[hamlet] {
            case .success(let published): documents.append((hamlet, published.made))
            case .failure(let error): failed(hamlet, error)
            case nil: continue
            }
        }
        for (hamlet, document) in documents where !document.heldBack.isEmpty {
            metrics.heldBackForSize(document.heldBack.count)
            logger.error("schedule document too large: items held back", metadata: [
                "hamlet": "\(hamlet)", "held back": "\(document.heldBack)", "limit bytes": "\(Self.largestDocumentBytes)",
            ])
        }
        do {
            try await recordMissed(documents.flatMap { hamlet, document in document.missed.map { (hamlet, $0) } }, at: now)
        } catch {
            failed(documents.map(\.hamlet).joined(separator: ","), error)
        }
        var published: [String: ZoneSchedule] = [:]
        var tooLate: [(zone: String, entry: ZoneDispatch.Missed)] = []
        for (hamlet, document) in documents {
            do {
                try await publisher.publish("schedule", topic: topics.zoneSchedule(hamlet), payload: document.sealed, retain: true)
                published[hamlet] = document.schedule
                // Taken by the broker only after an airing it lists for the first time: its
                // receivers cannot play it (a broker outage kept it from them).
                let takenAt = clock()
                tooLate += document.newlyListed.filter { $0.startAt.addingTimeInterval(ZoneDispatch.grace) < takenAt }
                    .map { (hamlet, ZoneDispatch.Missed(item: $0, reason: ZoneDispatch.notDelivered)) }
            } catch {
                failed(hamlet, error)
            }
        }
        do {
            try await recordMissed(tooLate, at: clock())
        } catch {
            failed(tooLate.map(\.zone).joined(separator: ","), error)
        }
        if let firstFailure { throw firstFailure }
        return published
    }

    /// A hamlet's document as built for publication: the document, sealed, what it left
    /// out for size and what is recorded as missed.
    struct BuiltZoneDocument: Sendable {
        var schedule: ZoneSchedule
        var sealed: Data
        var missed: [ZoneDispatch.Missed]
        var heldBack: [String]
        /// The airings it lists that the document before did not.
        var newlyListed: [ScheduledItem]
    }

    /// Decides what a hamlet's document `version` lists (`ZoneDispatch`) and seals it.
    private func buildZoneDocument(
        hamlet: String, version: Int, previousDocument: Data?, candidates: [ScheduledItem], planned: PlannedAirings,
        airableSince: [String: Date], topic: String, now: Date
    ) throws -> (document: Data, sealed: Data?, made: BuiltZoneDocument) {
        let previous = previousDocument.flatMap { try? WireCoding.decode(ZoneSchedule.self, from: $0) }
        let decision = ZoneDispatch.decide(
            candidates: candidates, previous: previous, lookAhead: plan.lookAhead.seconds, now: now,
            airableSince: airableSince)
        var schedule = ZoneSchedule(
            site: site.id, zone: hamlet, version: version, issuedAt: now, items: decision.listed,
            timeZone: planned.timeZone ?? site.timeZone,
            quietHours: planned.quietHours ?? quietHours, notices: planned.notices[hamlet])
        // A document larger than receivers accept would silence the hamlet: leave out
        // what airs last (then the notices shown last) until it fits, and say so. What is
        // left out is listed again in a later document, when the window has moved on.
        var heldBack: [String] = []
        while true {
            let document = try WireCoding.encode(schedule)
            let sealed = try MessageSigner(key: keys.active).seal(
                payload: document, topic: topic, version: version, issuedAt: now,
                expiresAt: now.addingTimeInterval(Self.scheduleValidity.seconds))
            guard sealed.count > Self.largestDocumentBytes, let dropped = schedule.removeLeastUrgent() else {
                let sent = Set(previous?.items.map(\.id) ?? [])
                return (document, sealed, BuiltZoneDocument(
                    schedule: schedule, sealed: sealed, missed: decision.missed, heldBack: heldBack,
                    newlyListed: schedule.items.filter { !sent.contains($0.id) }))
            }
            heldBack.append(dropped)
        }
    }

    /// The largest sealed document the controller publishes: what a receiver accepts
    /// (`DownwardMessageVerifier.Policy.maximumBytes`).
    static let largestDocumentBytes = DownwardMessageVerifier.Policy().maximumBytes

    /// The name missed records of the controller carry in place of a device id.
    public static let dispatcherName = DeviceEvent.controllerDevice

    /// Records airings that could not be sent as `missed` events of the controller,
    /// once each (the event id is derived from the item id): one batch for all hamlets.
    private func recordMissed(_ missed: [(zone: String, entry: ZoneDispatch.Missed)], at now: Date) async throws {
        guard !missed.isEmpty else { return }
        let events = missed.map { zone, entry in
            (DeviceEvent(
                id: "missed-by-controller:\(entry.item.id)", device: Self.dispatcherName, site: site.id, zone: zone,
                item: entry.item.id, kind: .missed, at: now, reason: entry.reason.description), now)
        }
        let stored = try await store.record(events)
        for ((_, entry), isNew) in zip(missed, stored) where isNew {
            logger.warning("airing missed", metadata: ["item": "\(entry.item.id)", "reason": "\(entry.reason.en)"])
        }
    }

    /// What the active schedule gives every hamlet for documents published at `now`:
    /// the airings of approved programmes inside the document window and the
    /// approved notices shown during it (`NoticeDispatch`), by hamlet id, and the
    /// site's time zone and quiet hours.
    ///
    /// A text programme airs as its speech (`MediaLibrary.speech(for:)`: from the cache, or read
    /// again when the cache was emptied); one whose text cannot be read is logged and
    /// left out. Programmes not (fully) approved are not dispatched at all.
    func plannedAirings(now: Date) async throws -> PlannedAirings {
        guard let active = try await store.activeSchedule() else { return PlannedAirings() }
        let schedule = active.schedule
        let planner: Planner
        do {
            planner = try Planner(schedule: schedule)
        } catch {
            logger.error("the active schedule cannot be planned", metadata: ["version": "\(active.version)", "error": "\(error)"])
            return PlannedAirings()
        }
        let approvedAt = Dictionary(
            try await store.approvalStatus(version: active.version).compactMap { status in status.approvedAt.map { (status.programmeID, $0) } },
            uniquingKeysWith: { first, _ in first })
        let approved = Set(approvedAt.keys)
        let earliest = now.addingTimeInterval(-plan.lookBack.seconds)
        let latest = now.addingTimeInterval(plan.lookAhead.seconds)
        let first = planner.clock.local(earliest).date
        let days = first.days(to: planner.clock.local(latest).date) + 1
        let speech = await media.speechOfTextProgrammes(schedule, only: approved)
        for (programme, error) in speech.failed {
            logger.error("text programme not dispatched: text-to-speech failed", metadata: [
                "programme": "\(programme)", "error": "\(error)",
            ])
        }
        var items: [String: [ScheduledItem]] = [:]
        var airableSince: [String: Date] = [:]
        var relaySources: [String: [String]] = [:]
        let standBy = await relayStandBy(for: schedule, approved: approved)
        for occurrence in planner.plan(from: first, days: days).occurrences
        where occurrence.startAt >= earliest && occurrence.startAt <= latest {
            let programme = schedule.programmes[occurrence.programme]
            guard let approval = approvedAt[programme.id] else { continue }
            // An emergency approved after its instant airs at once (`LateApproval`).
            let startAt = LateApproval.instant(scheduled: occurrence.startAt, priority: programme.priority, approvedAt: approval)
            let media: MediaReference
            var stream: ItemStream?
            switch programme.content {
            case .audio(_, let uploaded?): media = uploaded
            case .text:
                guard let spoken = speech.spoken[occurrence.programme] else { continue }
                media = spoken
            case .audio(_, nil): continue
            case .relay, .live:
                guard let relay, let standBy else { continue }
                media = standBy
                let endAt = occurrence.startAt.addingTimeInterval(Double(programme.durationSeconds))
                guard endAt > startAt else { continue }
                stream = ItemStream(
                    urls: [relay.receiverBaseURL + RelayWindow.mount(site: site.id, programme: programme.id, startAt: startAt)],
                    endAt: endAt, prebufferMs: programme.content.isLive ? ItemStream.livePrebufferMs : nil)
                // A live session's audio comes from its speaker (`LiveDesk`), not from a pull.
                relaySources[programme.id] = programme.content.relaySources ?? []
            }
            let hamlet = schedule.hamlets[occurrence.hamlet].id
            let id = schedule.occurrenceID(occurrence)
            airableSince[id] = approval
            items[hamlet, default: []].append(ScheduledItem(
                id: id, announcementId: programme.id, title: programme.title,
                category: programme.category, priority: programme.priority, startAt: startAt, media: media,
                volume: programme.volume ?? schedule.site.defaultVolume, stream: stream))
        }
        var itemMedia: [String: MediaReference] = [:]
        for (hamlet, list) in items { items[hamlet] = await withItemMedia(list, known: &itemMedia) }
        let notices = NoticeDispatch(schedule: schedule, clock: planner.clock)
            .boardNotices(approved: approved, window: earliest...latest)
        return PlannedAirings(
            items: items, airableSince: airableSince, notices: notices, timeZone: schedule.site.timeZone, quietHours: schedule.site.quietHours,
            version: active.version, relaySources: relaySources)
    }

    /// `items` with their audio's levelling gain and chunk root (``MediaLibrary/forItems(_:)``),
    /// which receivers use as they play; each file looked up once (`known`).
    private func withItemMedia(_ items: [ScheduledItem], known: inout [String: MediaReference]) async -> [ScheduledItem] {
        var carried = items
        for index in carried.indices {
            let media = carried[index].media
            if let found = known[media.sha256] {
                carried[index].media = found
            } else {
                carried[index].media = await self.media.forItems(media)
                known[media.sha256] = carried[index].media
            }
        }
        return carried
    }

    /// The stand-by audio of relay items (``RelayStandBy``) when the schedule has approved
    /// relay programmes; nil when it has none, or no relay is set up (they are then not
    /// dispatched: logged), or the notice cannot be read.
    private func relayStandBy(for schedule: BroadcastSchedule, approved: Set<String>) async -> MediaReference? {
        let relays = schedule.programmes.filter { $0.content.isStream && approved.contains($0.id) }.map(\.id)
        guard !relays.isEmpty else { return nil }
        guard relay != nil else {
            logger.error("relay programmes not dispatched: the controller's settings have no relay", metadata: ["programmes": "\(relays)"])
            return nil
        }
        do {
            return try await media.speech(for: RelayStandBy.notice)
        } catch {
            logger.error("relay programmes not dispatched: the stand-by notice cannot be read", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// The airings of the active schedule version for one round of documents.
struct PlannedAirings {
    /// Scheduled items by hamlet id, in air order.
    var items: [String: [ScheduledItem]] = [:]
    /// When each item (by id) became airable: its programme's approval was completed.
    var airableSince: [String: Date] = [:]
    /// Notices for the boards by hamlet id, in schedule order; a hamlet without any is absent.
    var notices: [String: [BoardNotice]] = [:]
    /// The site's time zone and quiet hours from the schedule; nil without one.
    var timeZone: String?
    var quietHours: [QuietHours]?
    /// The schedule version they come from.
    var version: Int?
    /// The upstream sources of the relay programmes among the items, by programme id (none
    /// for a live session).
    var relaySources: [String: [String]] = [:]
}
