import Foundation
import LoaDomain
import LoaProtocol
public import LoaStore

/// What the delivery status reads: what was planned (schedule, announcements) and what receivers reported.
public typealias DeliveryStore = ScheduleStore & AnnouncementStore & DeviceReportStore

/// Where a broadcast stands in each hamlet, receiver by receiver: the operator's
/// answer to "did it air everywhere?".
public struct DeliveryStatus: Sendable {
    let site: Site
    let store: any DeliveryStore
    let clock: @Sendable () -> Date

    /// Where broadcast `key` stands: per hamlet and receiver, from the stored events
    /// and device states. `key` is a broadcast (`programme@date/place`, an announcement
    /// id) or one hamlet's item of it (`…@hamlet`); the view covers every hamlet.
    public func delivery(of key: String) async throws -> BroadcastDelivery {
        let broadcast = Self.broadcastKey(of: key, hamlets: site.hamlets.map(\.id))
        let devices = try await store.devices()
        let planned = try await plannedStarts(of: broadcast)
        // The receivers the schedule names count too: one that never reported shows as waiting, not as nothing.
        let configured = Dictionary(
            (try await store.activeSchedule()?.schedule.hamlets ?? []).map { ($0.id, $0.receivers) }, uniquingKeysWith: { first, _ in first })
        var hamlets: [HamletDelivery] = []
        for hamlet in site.hamlets {
            let item = "\(broadcast)@\(hamlet.id)"
            let events = try await store.events(item: item)
            let expected = planned.starts[hamlet.id] != nil
            guard expected || !events.isEmpty else { continue }
            let reporting = Set(events.map(\.device)).subtracting([DeviceEvent.controllerDevice])
            let names = Set(devices.filter { $0.zone == hamlet.id }.map(\.device)).union(reporting)
                .union(configured[hamlet.id] ?? []).sorted()
            hamlets.append(HamletDelivery(
                hamlet: hamlet.id, name: hamlet.name, item: item, scheduledAt: planned.starts[hamlet.id],
                notSent: events.last { $0.device == DeviceEvent.controllerDevice && $0.kind == .missed }?.reason,
                receivers: names.map { name in
                    ReceiverDelivery(
                        device: devices.first { $0.device == name }, name: name, events: events.filter { $0.device == name })
                }))
        }
        return BroadcastDelivery(broadcast: broadcast, title: planned.title, hamlets: hamlets, at: clock())
    }

    /// The broadcast of `key`: `key` without a trailing `@hamlet` of this site.
    static func broadcastKey(of key: String, hamlets: [String]) -> String {
        for hamlet in hamlets where key.hasSuffix("@\(hamlet)") {
            let trimmed = String(key.dropLast(hamlet.count + 1))
            // `programme@date/place` keeps its own `@`: only strip a hamlet after the place.
            if trimmed.contains("@") || !key.contains("/") { return trimmed }
        }
        return key
    }

    /// The title and per-hamlet start of a broadcast, from the active schedule's plan
    /// of its day, or from the stored announcement.
    private func plannedStarts(of broadcast: String) async throws -> (title: String?, starts: [String: Date]) {
        if let id = OccurrenceID("\(broadcast)@\(site.hamlets.first?.id ?? "x")"), let active = try await store.activeSchedule(),
            let index = active.schedule.programmes.firstIndex(where: { $0.id == id.programme }),
            let planner = try? Planner(schedule: active.schedule) {
            var starts: [String: Date] = [:]
            for occurrence in planner.plan(from: id.date, days: 1).occurrences where occurrence.programme == index {
                let item = active.schedule.occurrenceID(occurrence)
                let hamlet = active.schedule.hamlets[occurrence.hamlet].id
                if item == "\(broadcast)@\(hamlet)" { starts[hamlet] = occurrence.startAt }
            }
            return (active.schedule.programmes[index].title, starts)
        }
        guard let announcement = try await store.announcement(id: broadcast) else { return (nil, [:]) }
        return (announcement.title, Dictionary(uniqueKeysWithValues: announcement.hamlets.map { ($0, announcement.startAt) }))
    }
}
