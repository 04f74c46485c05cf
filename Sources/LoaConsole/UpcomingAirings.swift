import Foundation
import LoaController
import LoaDomain
import LoaStore

/// The airings of the active schedule (and one-off announcements) in the next
/// hours, with whether each may air yet: what the dashboard and the approvals
/// page list, each linking to its live view.
struct UpcomingAiring: Sendable {
    var hamlet: String
    var title: String
    var programme: String
    var startAt: Date
    var priority: PriorityClass
    /// The broadcast key (the live view's `item`).
    var broadcast: String
    var approved: Bool

    /// Airings starting between `now - lookBack` and `now + hours`, by start.
    static func list(controller: Controller, hours: Int = 48, lookBack: TimeInterval = 0) async throws -> [UpcomingAiring] {
        let now = controller.now
        var airings: [UpcomingAiring] = []
        if let active = try await controller.store.activeSchedule(), let planner = try? Planner(schedule: active.schedule) {
            let approved = try await controller.store.approvedProgrammeIDs(version: active.version)
            let today = planner.clock.local(now.addingTimeInterval(-lookBack)).date
            let latest = now.addingTimeInterval(TimeInterval(hours * 3600))
            for occurrence in planner.plan(from: today, days: hours / 24 + 2).occurrences
            where occurrence.startAt >= now.addingTimeInterval(-lookBack) && occurrence.startAt <= latest {
                let programme = active.schedule.programmes[occurrence.programme]
                let hamlet = active.schedule.hamlets[occurrence.hamlet].id
                airings.append(UpcomingAiring(
                    hamlet: hamlet, title: programme.title, programme: programme.id, startAt: occurrence.startAt,
                    priority: programme.priority, broadcast: active.schedule.broadcastKey(of: occurrence),
                    approved: approved.contains(programme.id)))
            }
        }
        let window = now.addingTimeInterval(-lookBack)...now.addingTimeInterval(TimeInterval(hours * 3600))
        let announcements = try await controller.store.announcements(startingIn: window)
        for hamlet in controller.configuration.site.hamlets {
            for announcement in announcements where announcement.hamlets.contains(hamlet.id) {
                airings.append(UpcomingAiring(
                    hamlet: hamlet.id, title: announcement.title, programme: announcement.id, startAt: announcement.startAt,
                    priority: announcement.priority, broadcast: announcement.id, approved: true))
            }
        }
        return airings.sorted { ($0.startAt, $0.hamlet) < ($1.startAt, $1.hamlet) }
    }

    /// The live view's address for a broadcast.
    static func livePath(_ broadcast: String) -> String {
        "\(ConsolePage.delivery.path)?item=\(broadcast.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? broadcast)"
    }
}
