#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaAudio
import LoaDomain
import LoaMQTT
import LoaProtocol
import Logging
import LoaFiles

/// A hamlet device: follows its hamlet's retained schedule document, fetches and
/// verifies the audio ahead of time, plays each item through ALSA at its
/// instant, and reports every step as an event.
///
/// It keeps the last document and what it has done on disk, so it plays on
/// schedule while the broker or the controller is away, and after a restart
/// it neither replays an item nor forgets one.
///
/// Items share one speaker (``SpeakerLine``): a higher priority class cuts a lower
/// one short, equal classes take turns. In the document's quiet hours only
/// emergencies play; other items are reported missed.
///
/// A device without a speaker (`audio` absent) neither plays nor reports audio items. A
/// device with a `board` serves its hamlet's notice board to a kiosk browser and reports
/// proof of display (`Receiver+Board.swift`).
public actor Receiver {
    public let configuration: ReceiverConfiguration
    /// The broker: documents, key announcements and receipts in; events and state out.
    let link: any BrokerLink
    let topics: Topics
    let cache: MediaCache
    /// The speaker; nil on a device without one (a notice board only).
    let player: (any Speaker)?
    /// The time it plays by: its own clock corrected to the controller's (`Receiver+ClockSync.swift`).
    let clock: SyncedClock
    /// Where it fetches its hamlet's document while the broker is away.
    private let documents: (any ScheduleDocumentSource)?
    /// Where it reads the controller's clock; nil: it plays by its own.
    let controllerTime: (any ControllerTimeSource)?
    /// The microphone near the speaker, for proof of sound (`Receiver+ProofOfSound.swift`).
    let microphone: ALSAMicrophone?
    /// The speaker's latest self-test, for the state report.
    var speakerTest: SpeakerTestResult?
    let grace: Duration
    private let memoryFile: URL
    var memory: ReceiverMemory
    /// The item sounding now, while it plays (`PlaybackRecord`).
    private let playbackFile: URL
    /// Items whose `started` was reported as the first frame left.
    private var startedReported: Set<String> = []
    /// What `playing.json` holds now, while an item plays.
    private var playbackRecord: PlaybackRecord?
    /// Checks every downward message: signature, topic, expiry, replay, rollback.
    private var verifier: DownwardMessageVerifier
    private let verifierFile: URL
    /// Items being fetched, waited for or played, by item id.
    private var inFlight: [String: Task<Void, Never>] = [:]
    /// The one sound output: who plays, who waits, who is preempted.
    let speaker: SpeakerLine
    /// Every event goes here first, durably, and stays until the controller's receipt.
    private let outbox: EventOutbox
    private let wakeSender: AsyncStream<Void>.Continuation
    private let senderWakeUps: AsyncStream<Void>
    let logger = Logger(label: "loa.receiver")
    /// The notice board's server while it runs (its bound port is useful with port 0).
    var boardServer: BoardServer?
    /// The emergency audio item sounding now, which takes over the board's screen.
    var playingEmergency: ScheduledItem?
    /// The latest failure or miss, for the state report (`Receiver+StateReport.swift`).
    var lastError: String?
    /// The volume step of the latest item made ready, for the state report.
    var lastVolume: Int?
    /// The relays airing now, by item id (`Receiver+Relay.swift`).
    var relayAirings: [String: RelayAiring] = [:]
    /// Items taken out of the schedule while under way (a relay or live session ended early).
    var withdrawn: Set<String> = []
    /// Items being aired whose outcome (finished, failed, missed, preempted, cancelled) is reported.
    var concluded: Set<String> = []

    /// A device's receiver, on the parts its settings name (``ReceiverParts/device(_:clock:)``);
    /// `run()` starts it.
    /// - Parameter clock: the time it plays by; waits run in real time.
    public init(configuration: ReceiverConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        // Settings refused before the broker connection is opened.
        try configuration.validate()
        _ = try Self.controllerKey(of: configuration)
        try self.init(configuration: configuration, parts: .device(configuration, clock: ReadingClock(clock)))
    }

    /// A receiver assembled from `parts`; its memory, outbox and media cache live in the
    /// settings' state folder. `run()` starts it.
    public init(configuration: ReceiverConfiguration, parts: ReceiverParts) throws {
        try configuration.validate()
        self.configuration = configuration
        clock = SyncedClock(local: parts.clock)
        link = parts.link
        documents = parts.documents
        controllerTime = parts.controllerTime
        microphone = parts.microphone
        player = parts.speaker
        speaker = SpeakerLine(clock: clock)
        topics = Topics(site: configuration.site)
        grace = .milliseconds(Int64((configuration.lateGraceSeconds ?? 5) * 1000))
        let state = URL(fileURLWithPath: configuration.stateDirectory)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        cache = try MediaCache(directory: state.appendingPathComponent("media"), downloader: parts.downloader)
        memoryFile = state.appendingPathComponent("memory.json")
        memory = ReceiverMemory.load(from: memoryFile)
        playbackFile = state.appendingPathComponent("playing.json")
        verifierFile = state.appendingPathComponent("verifier.json")
        let verifierState = (try? Data(contentsOf: verifierFile)).flatMap { try? WireCoding.decode(VerifierState.self, from: $0) }
        verifier = DownwardMessageVerifier(trusting: [try Self.controllerKey(of: configuration)], state: verifierState)
        outbox = try EventOutbox(path: state.appendingPathComponent("outbox.sqlite").path)
        (senderWakeUps, wakeSender) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The controller's key the settings name.
    private static func controllerKey(of configuration: ReceiverConfiguration) throws -> VerifierKey {
        do {
            return try VerifierKey(text: configuration.controllerKey)
        } catch {
            throw ConfigurationError(path: "receiver configuration", problems: ["controllerKey: \(error)"])
        }
    }

    /// Runs until cancelled: plays from the remembered document at once, then
    /// follows the broker. Cancelling it publishes `offline` and disconnects.
    /// Answers at once when the receiver's actor is free to: what a watchdog asks
    /// (`LoaReceiverProcess`) to tell a working receiver from a hung one.
    public func heartbeat() {}

    public func run() async throws {
        let sender = EventSender(
            outbox: outbox, link: link, clock: clock, topic: topics.deviceEvents(configuration.deviceID), logger: logger)
        let sending = Task { [senderWakeUps] in await sender.run(wakeUps: senderWakeUps) }
        let board = startBoard()
        reportInterruptedPlayback()
        if let remembered = memory.schedule { reconcile(remembered) }
        let scheduleTopic = topics.zoneSchedule(configuration.hamlet)
        let receiptTopic = topics.deviceReceipts(configuration.deviceID)
        // The key announcement first: after a rotation the retained schedule is
        // signed by the new key, and the broker sends retained messages in the
        // order the subscriptions are made.
        try await link.subscribe(topics.controllerKeys, qos: .atLeastOnce)
        try await link.subscribe(scheduleTopic, qos: .atLeastOnce)
        try await link.subscribe(receiptTopic, qos: .atLeastOnce)
        let fetching = documents.map { source in
            Task { await self.fetchDocumentsWhileBrokerAway(from: source, topic: scheduleTopic) }
        }
        let clockSync = controllerTime.map { source in Task { await self.keepClockInStep(with: source) } }
        let selfTests = microphone.flatMap { microphone in
            player.map { player in Task { await self.keepSpeakerTested(player, microphone) } }
        }
        let announceOnline = Task { [link, wakeSender] in
            for await state in link.stateChanges() where state == .connected {
                await self.publishState()
                wakeSender.yield()
            }
        }
        await withTaskCancellationHandler {
            for await message in link.messages {
                guard let payload = open(message) else { continue }
                if message.topic == receiptTopic {
                    sender.accept(receipt: payload)
                } else if message.topic == scheduleTopic {
                    do {
                        accept(try WireCoding.decode(ZoneSchedule.self, from: payload))
                    } catch {
                        logger.warning("schedule document refused", metadata: ["error": "\(error)"])
                    }
                }
            }
        } onCancel: {
            Task { await self.shutDown() }
        }
        announceOnline.cancel()
        fetching?.cancel()
        clockSync?.cancel()
        selfTests?.cancel()
        board?.cancel()
        _ = await board?.value
        wakeSender.finish()
        await sending.value
    }

    /// How long the broker may be away before the hamlet's document is fetched over
    /// HTTP instead, and how often it is fetched again while the broker stays away
    /// (`scheduleFetchSeconds`, default 30 s).
    var documentFetchInterval: TimeInterval { configuration.scheduleFetchSeconds ?? 30 }

    /// While the broker is away, fetches the hamlet's signed document over HTTP every
    /// `documentFetchInterval` and takes it as if the broker had delivered it: the
    /// same checks, so an old or forged document is refused as it would be over MQTT.
    private func fetchDocumentsWhileBrokerAway(from source: any ScheduleDocumentSource, topic: String) async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: clock.now.addingTimeInterval(documentFetchInterval))
            } catch {
                return
            }
            guard link.state != .connected else { continue }
            do {
                guard let sealed = try await source.latestDocument(hamlet: configuration.hamlet),
                      let payload = open(MQTTMessage(topic: topic, payload: sealed))
                else { continue }
                let schedule = try WireCoding.decode(ZoneSchedule.self, from: payload)
                logger.notice("schedule document fetched over HTTP: the broker is away", metadata: ["version": "\(schedule.version)"])
                accept(schedule)
            } catch {
                logger.warning("schedule document not fetched over HTTP", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Checks a downward message; returns its payload when it is the controller's, fresh and new.
    private func open(_ message: MQTTMessage) -> Data? {
        let result = verifier.open(message.payload, topic: message.topic, now: clock.now)
        do {
            try DurableFile.write(WireCoding.encode(verifier.state), to: verifierFile)
        } catch {
            logger.error("cannot save the verifier's state", metadata: ["error": "\(error)"])
        }
        switch result {
        case .success(let opened):
            if let key = opened.adoptedKey {
                logger.notice("new controller key announced", metadata: ["key": "\(key.text)", "by": "\(opened.signer.text)"])
                return nil
            }
            return opened.payload
        case .failure(let refusal):
            if !refusal.isDuplicate {
                logger.warning("downward message refused", metadata: ["topic": "\(message.topic)", "refusal": "\(refusal)"])
            }
            return nil
        }
    }

    /// How many downward messages were refused, by reason (forged, expired, replayed…).
    public var refusedMessages: [String: Int] {
        Dictionary(uniqueKeysWithValues: verifier.refusalCounts.map { ("\($0.key)", $0.value) })
    }

    /// Events written but not yet confirmed by the controller.
    public func pendingEventCount() throws -> Int { try outbox.pendingCount() }

    /// The version of the hamlet's document the receiver follows; nil before the first.
    public var scheduleVersion: Int? { memory.schedule?.version }

    /// Items this receiver finished with (played, missed or failed), for tests and status.
    public var finishedItems: Set<String> { memory.done }

    private func shutDown() async {
        for task in inFlight.values { task.cancel() }
        let offline = DeviceState(device: configuration.deviceID, zone: configuration.hamlet, status: .offline, at: clock.now)
        // With the broker away the state cannot be delivered (the will says it instead):
        // never let that hold up stopping.
        if let payload = try? WireCoding.encode(offline) {
            _ = await link.publish(
                topic: topics.deviceState(configuration.deviceID), payload: payload, qos: .atLeastOnce, retain: true,
                waitingAtMost: Self.offlineStateWait)
        }
        await link.close()
    }

    // MARK: Schedule documents

    private func accept(_ schedule: ZoneSchedule) {
        guard schedule.site == configuration.site, schedule.zone == configuration.hamlet else {
            logger.warning("schedule for another zone ignored", metadata: ["zone": "\(schedule.zone)"])
            return
        }
        if let current = memory.schedule, schedule.version <= current.version { return }
        memory.schedule = schedule
        memory.prune()
        startedReported.formIntersection(schedule.items.map(\.id))
        noticesChanged(schedule)
        remember()
        reconcile(schedule)
    }

    /// Starts work on every listed item not yet done or under way; stops items no longer listed.
    /// Without a speaker there is nothing to do: audio items are neither played nor reported.
    private func reconcile(_ schedule: ZoneSchedule) {
        guard player != nil else { return }
        let listed = Set(schedule.items.map(\.id))
        for (id, task) in inFlight where !listed.contains(id) {
            withdrawn.insert(id)
            task.cancel()
            inFlight[id] = nil
        }
        var received = memory.received ?? []
        for item in schedule.items where !memory.done.contains(item.id) && inFlight[item.id] == nil {
            // Known before a restart: its `received` is not news (the same event id would be kept once anyway).
            let knownBefore = received.contains(item.id)
            if !knownBefore {
                report(item, .received)
                received.insert(item.id)
            }
            inFlight[item.id] = Task { await self.air(item, knownBefore: knownBefore) }
        }
        if received != memory.received ?? [] {
            memory.received = received
            remember()
        }
    }

    /// After a restart: the item that was sounding when the receiver stopped started,
    /// and was interrupted; it is not played again.
    private func reportInterruptedPlayback() {
        guard let record = PlaybackRecord.load(from: playbackFile) else { return }
        defer { PlaybackRecord.remove(at: playbackFile) }
        guard !memory.done.contains(record.item) else { return }
        let offset = record.measuredStart.timeIntervalSince(record.startAt) * 1000
        report(DeviceEvent(
            id: Self.eventID(.started, item: record.item), device: configuration.deviceID, site: configuration.site,
            zone: configuration.hamlet, item: record.item, kind: .started, at: record.measuredStart,
            measuredStartAt: record.measuredStart, startOffsetMs: (offset * 10).rounded() / 10))
        report(DeviceEvent(
            id: Self.eventID(.failed, item: record.item), device: configuration.deviceID, site: configuration.site,
            zone: configuration.hamlet, item: record.item, kind: .failed, at: clock.now, playedMs: record.playedMs,
            reason: record.interruptionReason(now: clock.now)))
        memory.done.insert(record.item)
        remember()
    }

    // MARK: Airing one item

    private func air(_ item: ScheduledItem, knownBefore: Bool) async {
        defer {
            // Withdrawn before a frame sounded: said once, so the office knows it will not play.
            if withdrawn.contains(item.id), !concluded.contains(item.id) {
                report(item, .cancelled, reason: Self.withdrawnReason)
            }
            concluded.remove(item.id)
            finish(item)
        }
        if let stream = item.stream, stream.endAt > clock.now.addingTimeInterval(grace.seconds) {
            // A relay joins late as long as its window lasts.
            return await airRelay(item, stream)
        }
        if case .missed(let lateBy) = AirTimeDecision.decide(startAt: item.startAt, now: clock.now, grace: grace) {
            return report(item, .missed, reason: knownBefore
                ? "máy thu không chạy vào giờ phát (tắt hoặc đang khởi động lại) (the receiver was not running at its instant: off or restarting)"
                : "learned of it \(Self.seconds(lateBy)) after its start (offline or off)")
        }
        let audio: any PCMSource
        do {
            let prepared = try await preparedAudio(of: item)
            audio = prepared.source
            report(item, .ready, reason: prepared.arrival.map {
                "phát khi đang tải: đã kiểm tra \($0.readableBytes)/\($0.length) byte (playing while downloading: \($0.readableBytes) of \($0.length) bytes verified)"
            })
        } catch {
            if withdrawn.contains(item.id) { return }  // cancelled while fetching: said as `cancelled`
            return report(item, .failed, reason: "\(error)")
        }
        lastVolume = item.playbackVolume
        // Wait for the instant without holding the speaker, so an earlier item is never
        // queued behind a later one; claim the speaker a moment before the instant.
        do { try await clock.sleep(until: item.startAt.addingTimeInterval(-Self.speakerLead)) } catch { return }
        // Defence in depth: the controller's planner keeps normal items out of quiet hours too.
        if item.priority != .emergency, let quiet = memory.schedule?.quietSpan(at: item.startAt) {
            return report(item, .missed, reason: Self.quietHoursReason(quiet))
        }
        let claim = SpeakerLine.Claim(item: item, duration: audio.duration.seconds)
        while true {
            guard let turn = await speaker.acquire(claim) else { return }
            let listening = listen(to: audio)
            let outcome = await play(item, audio, in: turn)
            let preemptor = await speaker.release(turn)?.item
            if case .played = outcome {} else { listening?.cancel() }
            switch outcome {
            case .tooLate(let lateBy):
                return report(item, .missed, reason: "the speaker was free only \(Self.seconds(lateBy)) after its start")
            case .failed(let error):
                return report(item, .failed, reason: "\(error)")
            case .played(let played) where !played.stoppedEarly || played.framesPlayed > 0:
                let sound = await soundHeard(audio, in: listening)
                return reportPlayback(item, played, preemptedBy: preemptor, sampleRate: audio.sampleRate, sound: sound)
            case .played, .stoppedBeforeStart:
                // Stopped before a single frame sounded: a higher class claimed the speaker
                // first, so wait for it and play after it (if still within the grace); or
                // the item was withdrawn.
                guard preemptor != nil, !Task.isCancelled else { return }
            }
        }
    }

    /// How one turn at the speaker went.
    private enum PlayOutcome {
        /// Not played: the instant is too long past (it waited too long for the speaker).
        case tooLate(Duration)
        /// Not played: stopped (preempted or cancelled) before the playback began.
        case stoppedBeforeStart
        case played(PlaybackReport)
        case failed(any Error)
    }

    /// Plays `audio` at the item's instant (or at once when a little late) while holding `turn`.
    private func play(_ item: ScheduledItem, _ audio: any PCMSource, in turn: SpeakerLine.Turn) async -> PlayOutcome {
        guard let player, !Task.isCancelled, !turn.stop.isStopped else { return .stoppedBeforeStart }
        let instant: Date?
        switch AirTimeDecision.decide(startAt: item.startAt, now: clock.now, grace: grace) {
        case .playAt(let at): instant = at
        case .playLate: instant = nil
        case .missed(let lateBy): return .tooLate(lateBy)
        }
        if item.priority == .emergency { playingEmergency = item }
        defer { if playingEmergency?.id == item.id { playingEmergency = nil } }
        // The start is reported as the first frame leaves, and the progress kept, so that a
        // receiver killed mid-play still tells what sounded (`reportInterruptedPlayback`).
        let (progress, observer) = AsyncStream.makeStream(of: PlaybackProgress.self)
        let following = Task { for await step in progress { self.playbackProgressed(item, step, audio: audio) } }
        defer {
            playbackRecord = nil
            PlaybackRecord.remove(at: playbackFile)
        }
        do {
            // The speaker keeps the device's own time; the schedule, the controller's.
            var played = try await player.play(
                audio, at: instant.map(clock.localInstant(for:)), stop: turn.stop, observe: { observer.yield($0) })
            played.measuredStart = clock.controllerInstant(forLocal: played.measuredStart)
            observer.finish()
            await following.value
            return .played(played)
        } catch {
            observer.finish()
            await following.value
            return .failed(error)
        }
    }

    /// Reports the start as soon as it is measured, and keeps `playing.json` up to date.
    private func playbackProgressed(_ item: ScheduledItem, _ step: PlaybackProgress, audio: any PCMSource) {
        switch step {
        case .started(let localStart):
            let measuredStart = clock.controllerInstant(forLocal: localStart)
            reportStarted(item, measuredStart: measuredStart)
            savePlaybackRecord(PlaybackRecord(
                item: item.id, startAt: item.startAt, measuredStart: measuredStart, playedMs: 0,
                durationMs: Int(audio.duration.seconds * 1000)))
        case .playing(let frames):
            guard var record = playbackRecord, record.item == item.id else { return }
            let playedMs = frames * 1000 / max(audio.sampleRate, 1)
            guard Double(playedMs - record.playedMs) >= PlaybackRecord.interval * 1000 * 0.9 else { return }
            record.playedMs = playedMs
            savePlaybackRecord(record)
        }
    }

    private func savePlaybackRecord(_ record: PlaybackRecord) {
        playbackRecord = record
        do {
            try record.save(to: playbackFile)
        } catch {
            logger.error("cannot save the playback record", metadata: ["file": "\(playbackFile.path)", "error": "\(error)"])
        }
    }

    /// `started`, once per item, with the clock estimate that put the start on the controller's time.
    func reportStarted(_ item: ScheduledItem, measuredStart: Date) {
        guard startedReported.insert(item.id).inserted else { return }
        let offset = measuredStart.timeIntervalSince(item.startAt) * 1000
        let estimate = clock.estimate
        report(
            item, .started, measuredStartAt: measuredStart, startOffsetMs: (offset * 10).rounded() / 10,
            clockOffsetMs: estimate.map { ($0.offsetMs * 1000).rounded() / 1000 },
            clockUncertaintyMs: estimate.map { ($0.uncertaintyMs * 1000).rounded() / 1000 })
    }

    /// Reports a playback that sounded: `started`, then `finished`, `preempted` or (withdrawn
    /// or stopping receiver) `failed`.
    /// With `sound`, what the microphone heard of it.
    private func reportPlayback(
        _ item: ScheduledItem, _ played: PlaybackReport, preemptedBy preemptor: ScheduledItem?, sampleRate: Int, sound: SoundMatch?
    ) {
        reportStarted(item, measuredStart: played.measuredStart)
        let playedMs = played.framesPlayed * 1000 / max(sampleRate, 1)
        let heard = sound.map { SpeakerCheck.judge($0) == .heard }
        let score = sound.map { ($0.score * 1000).rounded() / 1000 }
        if !played.stoppedEarly {
            report(item, .finished, playedMs: playedMs, soundHeard: heard, soundScore: score)
        } else if let preemptor {
            report(item, .preempted, playedMs: playedMs, reason: Self.preemptionReason(preemptor), soundHeard: heard, soundScore: score)
        } else {
            report(item, .failed, playedMs: playedMs, reason: "stopped after \(playedMs) ms: the item left the schedule or the receiver is stopping")
        }
    }

    /// Why an item was cut off, naming the item that took the speaker (Vietnamese first).
    static func preemptionReason(_ preemptor: ScheduledItem) -> String {
        "bị ngắt bởi bản tin \(preemptor.priority.vietnameseName.lowercased()) '\(preemptor.title)' "
            + "(preempted by \(preemptor.priority.rawValue) item '\(preemptor.title)', \(preemptor.id))"
    }

    /// Why an item that left the schedule before it sounded will not play (Vietnamese first).
    static let withdrawnReason = "đã rút khỏi lịch trước giờ phát (withdrawn from the schedule before it sounded)"

    /// Why a normal or priority item was not played in quiet hours (Vietnamese first).
    static func quietHoursReason(_ quiet: QuietHours) -> String {
        let span = "\(quiet.start)–\(quiet.end)"
        return "giờ yên tĩnh \(span): chỉ phát tin khẩn cấp (quiet hours \(span): only emergencies)"
    }

    private func finish(_ item: ScheduledItem) {
        inFlight[item.id] = nil
        withdrawn.remove(item.id)
        guard !Task.isCancelled else { return }
        memory.done.insert(item.id)
        remember()
    }

    func remember() {
        do {
            try memory.save(to: memoryFile)
        } catch {
            logger.error("cannot save receiver memory", metadata: ["file": "\(memoryFile.path)", "error": "\(error)"])
        }
    }

    func report(
        _ item: ScheduledItem, _ kind: DeviceEvent.Kind, measuredStartAt: Date? = nil,
        startOffsetMs: Double? = nil, playedMs: Int? = nil, reason: String? = nil, clockOffsetMs: Double? = nil,
        clockUncertaintyMs: Double? = nil, soundHeard: Bool? = nil, soundScore: Double? = nil
    ) {
        report(DeviceEvent(
            id: Self.eventID(kind, item: item.id), device: configuration.deviceID, site: configuration.site,
            zone: configuration.hamlet, item: item.id, kind: kind, at: clock.now, measuredStartAt: measuredStartAt,
            startOffsetMs: startOffsetMs, playedMs: playedMs, reason: DeviceEvent.capped(reason: reason),
            clockOffsetMs: clockOffsetMs, clockUncertaintyMs: clockUncertaintyMs, soundHeard: soundHeard, soundScore: soundScore))
        if kind == .failed || kind == .missed { lastError = reason }
        if [.finished, .failed, .missed, .preempted, .cancelled].contains(kind) {
            concluded.insert(item.id)
            Task { await publishState() }
        }
    }

    /// An audio event's id: its kind and item. A receiver reports each kind once per
    /// item, so an event made again after a restart has the same id and is kept once,
    /// in the outbox and in the controller's log.
    static func eventID(_ kind: DeviceEvent.Kind, item: String) -> String { "\(kind.rawValue):\(item)" }

    /// Writes `event` to the durable outbox (audio and display events alike) and wakes the sender.
    func report(_ event: DeviceEvent) {
        do {
            try outbox.add(event)
        } catch {
            logger.critical("event not written to the outbox", metadata: ["event": "\(event.kind)", "error": "\(error)"])
        }
        wakeSender.yield()
    }

    /// How long stopping waits for the broker to take the `offline` state.
    static let offlineStateWait: Duration = .seconds(2)

    /// How long before its instant an item claims the speaker: ALSA needs ~250 ms to
    /// start on silence, and a lower-class item it preempts needs a moment to stop and close.
    static let speakerLead: TimeInterval = 1

    static func seconds(_ duration: Duration) -> String {
        duration.seconds.fixedDecimals(1) + " s"
    }
}
