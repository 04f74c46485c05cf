public import Foundation
public import LoaDomain
import LoaProtocol
import LoaStore
import Logging

/// A leader speaking live to chosen hamlets (`loa live`, `POST /api/v1/live`).
///
/// A live session is a programme like any other, so that it is approved, preempted,
/// logged and reported as every programme is: its content is `.live(speaker:)`, it airs
/// once, a few seconds from now, for at most `maxMinutes`, and it is submitted and
/// approved by the leader who speaks. An emergency live session needs a second leader's
/// approval as every emergency does; it airs as soon as that approval comes
/// (`LateApproval`). The speaker's client sends MP3 to `feed(_:…)`, which the controller
/// puts on the session's Icecast mount; receivers play it as a relay. When the speaker
/// stops (the upload ends) or the window is over, the programme is withdrawn, and the
/// receivers end it as finished.
public struct LiveDesk: Sendable {
    let settings: RelaySettings
    let site: Site
    let programmes: ProgrammeDesk
    let station: RelayStation
    let clock: @Sendable () -> Date
    let logger: Logger

    /// What a leader asks for.
    public struct Request: Sendable, Codable, Equatable {
        public var title: String
        public var hamlets: [String]
        public var priority: PriorityClass?
        public var category: Category?
        /// The longest it may last, 1–60 minutes (default 10).
        public var maxMinutes: Int?

        public init(title: String, hamlets: [String], priority: PriorityClass? = nil, category: Category? = nil, maxMinutes: Int? = nil) {
            (self.title, self.hamlets, self.priority, self.category, self.maxMinutes) = (title, hamlets, priority, category, maxMinutes)
        }
    }

    /// A session once started.
    public struct Session: Sendable, Codable, Equatable {
        /// The programme's id: `truc-tiep-{local date and time}`.
        public var id: String
        public var startsAt: Date
        public var endsAt: Date
        /// Where the speaker's client sends its MP3 (`PUT`, the same credentials).
        public var audioPath: String
        /// False for an emergency until a second leader approves it.
        public var approved: Bool
    }

    /// How long after the request a live session starts: time for the documents to reach
    /// the receivers and for them to claim the speaker.
    public static let startDelay: TimeInterval = 4

    /// Submits and approves the session as `user`.
    /// - Throws: `ControllerError.invalidRequest` naming what is wrong.
    public func start(_ request: Request, by user: String) async throws -> Session {
        let minutes = request.maxMinutes ?? 10
        guard (1...60).contains(minutes) else {
            throw ControllerError.invalidRequest(["maxMinutes \(minutes): một phiên trực tiếp dài 1–60 phút (a live session lasts 1–60 minutes)"])
        }
        let wallClock = WallClock(siteTimeZone: site.timeZone)
        let startsAt = Date(timeIntervalSince1970: (clock().timeIntervalSince1970 + Self.startDelay).rounded(.up))
        let (date, time) = wallClock.local(startsAt)
        let id = "truc-tiep-\(date)-\(time)".replacingOccurrences(of: ":", with: "")
        let priority = request.priority ?? .priority
        let draft = ProgrammeDraft(
            title: request.title.precomposedStringWithCanonicalMapping,
            category: request.category ?? (priority == .emergency ? .emergency : .other), priority: priority,
            content: .live(speaker: user), durationSeconds: minutes * 60, hamlets: request.hamlets,
            recurrence: Recurrence(days: .once(date), times: .at([time])))
        let change = try await programmes.submit(draft, id: id, by: user)
        let status = try await programmes.approve(version: change.version, programmeIDs: [id], by: user)
        logger.notice("live session started", metadata: ["programme": "\(id)", "by": "\(user)", "hamlets": "\(request.hamlets)"])
        return Session(
            id: id, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(Double(minutes * 60)), audioPath: "/api/v1/live/\(id)/audio",
            approved: status.first { $0.programmeID == id }?.isApproved ?? false)
    }

    /// Puts `audio` (MP3, as the speaker's client sends it) on the session's mount until it
    /// ends or the window is over, then withdraws the session. Returns the bytes sent.
    /// - Throws: `LiveSessionError` when there is no such session on air, or the relay fails.
    public func feed<Chunks: AsyncSequence>(_ id: String, audio: Chunks, by user: String) async throws -> Int
    where Chunks.Element == Data {
        guard let programme = try await programmes.store.activeSchedule()?.schedule.programmes.first(where: { $0.id == id }),
            case .live(let speaker) = programme.content
        else { throw LiveSessionError.noSuchSession(id) }
        guard speaker == user else { throw LiveSessionError.notTheSpeaker(id, speaker: speaker) }
        // The window's mount, once the session is approved and dispatched.
        var window: RelayWindow?
        let deadline = clock().addingTimeInterval(30)
        while window == nil, clock() < deadline {
            window = try await station.windows(now: clock()).first { $0.isLive && $0.programme == id }
            if window == nil { try await Task.sleep(for: .milliseconds(250)) }
        }
        guard let window else { throw LiveSessionError.notApproved(id) }
        let source = try IcecastSource(
            icecastURL: settings.icecastURL, password: try settings.sourcePassword(), mount: window.mount, name: programme.title)
        var sent = 0
        do {
            for try await chunk in audio {
                guard clock() < window.endAt else { break }
                try source.send(chunk)
                sent += chunk.count
            }
        } catch {
            // The speaker's connection broke, or the relay did: the session ends either way.
            try? await end(id, by: user)
            throw error
        }
        // Out of the schedule first, so that receivers end it as finished before its
        // mount goes (which they would hear as the stream breaking off).
        try await end(id, by: user)
        logger.notice("live session's audio ended", metadata: ["programme": "\(id)", "bytes": "\(sent)"])
        return sent
    }

    /// Ends the session: the programme leaves the schedule, receivers stop and report it finished.
    public func end(_ id: String, by user: String) async throws {
        guard try await programmes.store.activeSchedule()?.schedule.programmes.contains(where: { $0.id == id }) == true else { return }
        try await programmes.withdraw(programme: id, by: user)
    }
}

/// Why a live session's audio cannot be taken.
public enum LiveSessionError: Error, CustomStringConvertible, Equatable {
    case noSuchSession(String)
    case notTheSpeaker(String, speaker: String)
    case notApproved(String)
    case relayUnavailable(String)

    public var description: String {
        switch self {
        case .noSuchSession(let id): "Không có phiên trực tiếp \(id) (no live session \(id) in the active schedule)"
        case .notTheSpeaker(let id, let speaker): "Phiên \(id) do \(speaker) nói (session \(id) is \(speaker)'s to speak)"
        case .notApproved(let id): "Phiên \(id) chưa được duyệt đủ (session \(id) is not approved yet: an emergency needs a second leader)"
        case .relayUnavailable(let reason): "Máy chủ tiếp sóng không nhận được (the relay cannot take it): \(reason)"
        }
    }
}
