public import Foundation
import LoaProtocol
import Logging
import Synchronization

/// The controller's side of relays: one pull per relay window (``RelayPipeline``), started
/// `lead` seconds before the window and stopped after it, and the answer to Icecast's
/// question whether a listener may hear a mount (``admits(device:hamlet:mount:now:)``).
public actor RelayStation {
    let settings: RelaySettings
    let site: String
    let dispatcher: ScheduleDispatcher
    let logger: Logger
    private var running: [String: (pipeline: RelayPipeline, task: Task<Void, Never>)] = [:]
    /// The windows planned last, and when.
    private var windows: [RelayWindow] = []
    private var plannedAt = Date.distantPast

    init(settings: RelaySettings, site: String, dispatcher: ScheduleDispatcher, logger: Logger) {
        (self.settings, self.site, self.dispatcher, self.logger) = (settings, site, dispatcher, logger)
    }

    /// Plans the windows again and starts or stops pulls to match: a window within its
    /// lead or under way has a pull; an ended or withdrawn one has none.
    public func reconcile(now: Date) async throws {
        try await plan(now: now)
        let due = windows.filter { !$0.isLive && $0.startAt.addingTimeInterval(-settings.lead) <= now && now < $0.endAt }
        let dueMounts = Set(due.map(\.mount))
        for (mount, pull) in running where !dueMounts.contains(mount) || pull.pipeline.window.endAt <= now {
            pull.task.cancel()
            running[mount] = nil
            logger.info("relay pull stopped", metadata: ["mount": "\(mount)"])
        }
        guard !due.filter({ running[$0.mount] == nil }).isEmpty else { return }
        let password = try settings.sourcePassword()
        for window in due where running[window.mount] == nil {
            let pipeline = RelayPipeline(window: window, settings: settings, password: password, logger: logger)
            running[window.mount] = (pipeline, Task { await pipeline.run() })
            logger.notice("relay pull started", metadata: [
                "mount": "\(window.mount)", "sources": "\(window.sources)", "hamlets": "\(window.hamlets.sorted())",
            ])
        }
    }

    /// Whether `device` of `hamlet` may listen to `mount` at `now`: the mount is a planned
    /// window of a relay its hamlet airs (any hamlet when nil: a device the registry does
    /// not list), from its lead to its end.
    public func admits(device: String, hamlet: String?, mount: String, now: Date) async -> Bool {
        if now.timeIntervalSince(plannedAt) > Self.planFreshness { try? await plan(now: now) }
        return windows.contains {
            $0.mount == mount && hamlet.map($0.hamlets.contains) ?? true && $0.startAt.addingTimeInterval(-settings.lead) <= now
                && now < $0.endAt.addingTimeInterval(RelayPipeline.tail)
        }
    }

    /// One pull running now: its mount, the source it reads, and how often it switched.
    public struct PullStatus: Sendable, Equatable {
        public var mount: String
        public var source: Int
        public var switches: Int
    }

    /// The windows planned now (a live session's among them once it is approved).
    func windows(now: Date) async throws -> [RelayWindow] {
        try await plan(now: now)
        return windows
    }

    /// The pulls running now, by mount.
    public func status() -> [PullStatus] {
        running.map { mount, pull in
            PullStatus(mount: mount, source: pull.pipeline.currentSource, switches: pull.pipeline.switches.load(ordering: .relaxed))
        }.sorted { $0.mount < $1.mount }
    }

    /// Stops every pull (shutdown).
    public func stopAll() {
        for pull in running.values { pull.task.cancel() }
        running = [:]
    }

    private func plan(now: Date) async throws {
        let planned = try await dispatcher.plannedAirings(now: now)
        windows = RelayWindow.windows(site: site, in: planned.items, sources: planned.relaySources)
        plannedAt = now
    }

    /// How long a plan is believed when answering Icecast.
    static let planFreshness: TimeInterval = 5
}
