#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaDomain
import LoaProtocol
import Logging

/// The notice board side of a receiver: it shows the notices of the hamlet's latest
/// document (kept in `memory.json`, so the board keeps its notices offline and after a
/// restart) and turns the page's reports into proof-of-display events (``DisplayRecorder``),
/// written to the same durable outbox as the audio events.
extension Receiver: BoardSource {
    /// How often the receiver closes finished hours and takes down expired notices.
    static let boardCheckInterval: Duration = .seconds(15)

    /// The port the board is served on, once it serves; nil without a board.
    public var boardPort: Int? { boardServer?.boundPort.value }

    /// Starts the board's server and its bookkeeping, when the settings have a board.
    func startBoard() -> Task<Void, Never>? {
        guard let settings = configuration.board else { return nil }
        let server = BoardServer(settings: settings, source: self, logger: logger)
        boardServer = server
        checkBoard()
        if let schedule = memory.schedule { fetchAttachments(of: schedule) }
        return Task { [clock] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await server.run() }
                group.addTask {
                    while !Task.isCancelled {
                        try? await clock.sleep(for: Self.boardCheckInterval)
                        await self.checkBoard()
                    }
                }
                await group.waitForAll()
            }
        }
    }

    /// The board now, from the latest document.
    func boardSnapshot() -> BoardSnapshot {
        let now = clock.now
        let board = configuration.board
        return BoardSnapshot(
            view: boardView(at: now), communeName: board?.communeName ?? configuration.site,
            hamletName: board?.hamletName ?? configuration.hamlet, now: now,
            utcOffsetSeconds: BoardSnapshot.utcOffset(timeZone: memory.schedule?.timeZone, at: now),
            rotateSeconds: board?.rotateSeconds ?? 20)
    }

    /// What the board shows at `instant`.
    public func boardView(at instant: Date) -> BoardView {
        BoardState.view(of: memory.schedule?.notices ?? [], at: instant, playingEmergency: playingEmergency?.title)
    }

    /// The page reports the notices in its rotation: proof of display.
    public func pageShowed(_ ids: [String]) {
        let now = clock.now
        let shown = boardView(at: now).notices
        recordDisplay { $0.pageShowed(ids, shown: shown, now: now) }
    }

    /// Closes the hours that are over and takes down expired notices; runs every 15 s, and
    /// tests call it after moving the clock.
    public func checkBoard() {
        let now = clock.now
        recordDisplay { $0.tick(now: now) }
    }

    /// A newer document: withdrawn notices are taken down, new ones followed, attachments fetched ahead.
    func noticesChanged(_ schedule: ZoneSchedule) {
        guard configuration.board != nil else { return }
        let now = clock.now
        recordDisplay { $0.documentChanged(to: schedule.notices ?? [], now: now) }
        fetchAttachments(of: schedule)
    }

    func attachment(sha256: String) async -> (data: Data, contentType: String)? {
        guard let media = boardView(at: clock.now).notices.lazy.compactMap(\.attachment).first(where: { $0.sha256 == sha256 }),
            let data = try? await cache.bytes(of: media)
        else { return nil }
        return (data, media.contentType)
    }

    /// Downloads (and verifies) the attachments of notices still to be shown, so the board
    /// has them when the network is away.
    private func fetchAttachments(of schedule: ZoneSchedule) {
        let now = clock.now
        for media in (schedule.notices ?? []).filter({ $0.showUntil > now }).compactMap(\.attachment) {
            Task { [cache, logger] in
                do {
                    _ = try await cache.bytes(of: media)
                } catch {
                    logger.warning("notice attachment not fetched", metadata: ["sha256": "\(media.sha256)", "error": "\(error)"])
                }
            }
        }
    }

    /// Applies a change to the display ledger: its events go to the outbox first, then the
    /// ledger is saved. Event ids are stable (``DisplayRecorder/Event/key``), so a crash in
    /// between makes the same events again, which the outbox and the controller keep once.
    private func recordDisplay(_ change: (inout DisplayRecorder) -> [DisplayRecorder.Event]) {
        guard configuration.board != nil else { return }
        var recorder = DisplayRecorder(ledger: memory.displays ?? DisplayLedger())
        let events = change(&recorder)
        guard recorder.ledger != memory.displays else { return }
        for event in events {
            report(DeviceEvent(
                id: "board:\(configuration.deviceID):\(event.key)", device: configuration.deviceID, site: configuration.site,
                zone: configuration.hamlet, item: event.item, kind: event.kind, at: event.at, reason: event.reason))
        }
        memory.displays = recorder.ledger
        remember()
    }
}
