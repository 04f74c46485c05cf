import Foundation
import LoaDomain
import LoaTransparency

/// Scheduled airings as the report counts them. The log holds no entry per
/// planned airing: an airing is known from its events (receivers' `received` …
/// `finished`, or the controller's `missed` for one it could not send), whose item
/// id is an `OccurrenceID` (`programme@date/session@hamlet`). Its
/// title, category and length come from the latest stored schedule version that
/// has the programme; its instant from the session's start (or the fixed time) on
/// that day, in the site's time zone.
///
/// So an airing that no receiver heard of and the controller did not record is not
/// counted; the controller records every airing it could not send, so that leaves
/// only hamlets whose every receiver was away for the whole of its window.
struct ScheduledAirings {
    private var programmes: [String: (programme: Programme, site: SiteSettings)] = [:]

    init(schedules: [BroadcastSchedule]) {
        for schedule in schedules {
            for programme in schedule.programmes { programmes[programme.id] = (programme, schedule.site) }
        }
    }

    /// The airing an item id names, as an announcement of the hamlet; nil when it is
    /// not a scheduled airing of a known programme.
    func airing(ofItem item: String) -> LoggedAnnouncement? {
        guard let id = OccurrenceID(item), let (programme, site) = programmes[id.programme],
            let start = site.slots.first(where: { $0.id == id.place })?.start ?? id.fixedTime
        else { return nil }
        let media: String = if case .audio(_, let media?) = programme.content { media.sha256 } else { "" }
        let startAt = WallClock(siteTimeZone: site.timeZone).instant(id.date, start)
        return LoggedAnnouncement(
            id: LoggedAnnouncement.id(ofItem: item), title: programme.title, category: programme.category.rawValue,
            priority: programme.priority.rawValue, hamlets: [id.hamlet], startAt: startAt,
            durationMs: programme.durationSeconds * 1000, mediaSha256: media, createdAt: startAt)
    }
}
