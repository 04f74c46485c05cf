#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaDomain
import LoaProtocol

/// Relays (docs/protocol.md "Relays"): an item with a `stream` sounds the live stream for
/// its window instead of a file.
///
/// The receiver takes the speaker like any item of its class and plays the first URL
/// that plays; when the stream breaks off it tries the same URL again, then the next, and
/// after the last the first again, until the window ends. A silence longer than
/// ``Receiver/standByAfter`` sounds the item's `media` (the stand-by notice) once while
/// it keeps trying. A higher class cuts in as for any item, and the relay takes the
/// speaker back after it while its window lasts. It reports `started` at the first
/// sound, `interrupted` and `resumed` for each gap (with why), and at the end `finished`
/// with how long the stream actually sounded (`playedMs`), or `failed` when nothing did.
/// Taken out of the schedule while it sounds (a live session whose speaker stopped), it
/// ends there, `finished` with a reason saying so.
extension Receiver {
    func airRelay(_ item: ScheduledItem, _ stream: ItemStream) async {
        guard let player else { return }
        guard let streaming = player as? any StreamSpeaker else {
            return report(item, .failed, reason: "thiết bị này không phát được luồng tiếp sóng (this device's speaker plays no streams)")
        }
        // The stand-by notice, fetched and verified ahead like any item's audio; a relay still airs without it.
        let standBy = try? await preparedAudio(of: item).source
        report(item, .ready)
        do { try await clock.sleep(until: item.startAt.addingTimeInterval(-Self.speakerLead)) } catch { return }
        if item.priority != .emergency, let quiet = memory.schedule?.quietSpan(at: item.startAt) {
            return report(item, .missed, reason: Self.quietHoursReason(quiet))
        }
        relayAirings[item.id] = RelayAiring(urls: stream.urls)
        defer { relayAirings[item.id] = nil }
        while clock.now < stream.endAt, !Task.isCancelled {
            let claim = SpeakerLine.Claim(item: item, duration: stream.endAt.timeIntervalSince(max(clock.now, item.startAt)))
            guard let turn = await speaker.acquire(claim) else { break }
            await playRelay(item, stream, streaming, standBy: standBy, in: turn)
            guard let preemptor = await speaker.release(turn)?.item else { break }
            // A higher class took the speaker: a gap, and the relay goes on after it.
            if !Task.isCancelled { relayGapBegins(item, reason: Self.preemptionReason(preemptor)) }
        }
        let relay = relayAirings[item.id] ?? RelayAiring(urls: stream.urls)
        guard relay.started else {
            return report(item, .failed, reason: Task.isCancelled
                ? "stopped before the relay sounded: the item left the schedule or the receiver is stopping"
                : "không phát được luồng tiếp sóng nào (no stream of the relay played): \(relay.lastProblem ?? "no attempt")")
        }
        if Task.isCancelled {
            // A stream has no end of its own: taken out of the schedule, it ended there (a
            // speaker who stopped, a relay cut short); a receiver stopping just stopped.
            guard withdrawn.remove(item.id) != nil else {
                return report(item, .failed, playedMs: relay.soundedMs, reason: "stopped after \(relay.soundedMs) ms: the receiver is stopping")
            }
            return report(item, .finished, playedMs: relay.soundedMs,
                          reason: "kết thúc sớm: đã rút khỏi lịch (ended early: taken out of the schedule)")
        }
        report(item, .finished, playedMs: min(relay.soundedMs, item.airingMs), reason: relay.summary)
    }

    /// Plays the relay while `turn` lasts: the stream from one URL after another until the
    /// window ends or the turn is stopped.
    private func playRelay(_ item: ScheduledItem, _ stream: ItemStream, _ streaming: any StreamSpeaker, standBy: (any PCMSource)?, in turn: SpeakerLine.Turn) async {
        while clock.now < stream.endAt, !Task.isCancelled, !turn.stop.isStopped, let url = relayAirings[item.id]?.url {
            // The first sound is reported as it is heard; the playback's end, when it comes.
            let (sounds, observer) = AsyncStream.makeStream(of: Date.self)
            let following = Task { for await start in sounds { self.relaySounds(item, atLocal: start, url: url) } }
            let request = AudioStreamRequest(url: url, user: configuration.deviceID, password: configuration.mediaToken)
            var problem: String?
            do {
                let played = try await streaming.playStream(
                    request, from: clock.localInstant(for: item.startAt), until: clock.localInstant(for: stream.endAt),
                    gainDecibels: SpeakerVolume.gainDecibels(item.playbackVolume), prebuffer: stream.prebuffer,
                    stop: turn.stop, observe: { step in if case .started(let start) = step { observer.yield(start) } })
                observer.finish()
                await following.value
                relayAirings[item.id]?.soundedMs += played.playedMs
                if case .sourceLost(let why) = played.end {
                    problem = why
                    relayAirings[item.id]?.lastProblem = why
                }
            } catch {
                observer.finish()
                await following.value
                problem = "\(error)"
                relayAirings[item.id]?.attemptFailed(because: problem!)
            }
            guard let problem, clock.now < stream.endAt, !turn.stop.isStopped else { continue }
            relayGapBegins(item, reason: "mất tín hiệu tiếp sóng (the stream broke off): \(problem)")
            guard let relay = relayAirings[item.id] else { return }
            if let standBy, !relay.standBySounded, relay.silentFor(now: clock.now, since: item.startAt) >= Self.standByAfter {
                relayAirings[item.id]?.standBySounded = true
                _ = try? await player?.play(standBy, at: nil, stop: turn.stop, observe: nil)
            }
            if relay.roundFailed { try? await clock.sleep(until: clock.now.addingTimeInterval(Self.relayRetryPause)) }
        }
    }

    /// The stream sounds: the relay's start, or its return after a gap.
    private func relaySounds(_ item: ScheduledItem, atLocal localStart: Date, url: String) {
        let start = clock.controllerInstant(forLocal: localStart)
        guard let resumedGap = relayAirings[item.id]?.sounded() else {
            return reportStarted(item, measuredStart: start)
        }
        guard let gap = resumedGap else { return }
        report(DeviceEvent(
            id: "\(DeviceEvent.Kind.resumed.rawValue):\(item.id):\(gap)", device: configuration.deviceID,
            site: configuration.site, zone: configuration.hamlet, item: item.id, kind: .resumed, at: clock.now,
            measuredStartAt: start, reason: DeviceEvent.capped(reason: "phát lại từ \(url) (sounding again from \(url))")))
    }

    /// A gap begins (once per gap, and only after the first sound): `interrupted`, numbered.
    private func relayGapBegins(_ item: ScheduledItem, reason: String) {
        guard let gap = relayAirings[item.id]?.gapBegins(at: clock.now) else { return }
        report(DeviceEvent(
            id: "\(DeviceEvent.Kind.interrupted.rawValue):\(item.id):\(gap)", device: configuration.deviceID,
            site: configuration.site, zone: configuration.hamlet, item: item.id, kind: .interrupted, at: clock.now,
            reason: DeviceEvent.capped(reason: reason)))
    }

    /// How long a relay is silent before the stand-by notice sounds.
    static let standByAfter: TimeInterval = 6
    /// The pause before trying the URLs again once all failed in a row (the relay's mount
    /// is back within a second or two when its pull moves to another source).
    static let relayRetryPause: TimeInterval = 0.5
}

/// One relay airing's course: which URL is next, its gaps, how long it sounded.
struct RelayAiring: Sendable {
    let urls: [String]
    private var index = 0
    /// Attempts in a row that sounded nothing, across URLs.
    private var failuresInRow = 0
    var lastProblem: String?
    private(set) var started = false
    var soundedMs = 0
    var standBySounded = false
    /// Gaps so far, and when the open one began.
    private(set) var gaps = 0
    private var gapSince: Date?

    init(urls: [String]) { self.urls = urls }

    /// The URL to play next.
    var url: String { urls[index % max(urls.count, 1)] }

    /// An attempt sounded nothing: the next URL.
    mutating func attemptFailed(because problem: String) {
        lastProblem = problem
        failuresInRow += 1
        index += 1
    }

    /// The stream sounds. Returns nil at the first sound (the relay starts), the number of
    /// the gap it ends (the relay resumes), or .some(nil) when no gap was open.
    mutating func sounded() -> Int?? {
        failuresInRow = 0
        guard started else {
            started = true
            return nil
        }
        guard gapSince != nil else { return .some(nil) }
        gapSince = nil
        standBySounded = false
        return .some(gaps)
    }

    /// A gap begins now; returns its number, or nil before the first sound or while one is open.
    mutating func gapBegins(at now: Date) -> Int? {
        guard started, gapSince == nil else { return nil }
        gapSince = now
        gaps += 1
        return gaps
    }

    /// True when every URL failed in a row: wait a moment before the next round.
    var roundFailed: Bool { failuresInRow > 0 && failuresInRow % max(urls.count, 1) == 0 }

    /// How long nothing has sounded: since the gap began, or since the instant before the first sound.
    func silentFor(now: Date, since instant: Date) -> TimeInterval {
        now.timeIntervalSince(started ? (gapSince ?? now) : instant)
    }

    /// The finished event's reason: the gaps, when there were any.
    var summary: String? {
        gaps == 0 ? nil : "\(gaps) lần gián đoạn (\(gaps) gap(s)); lỗi cuối (last problem): \(lastProblem ?? "")"
    }
}
