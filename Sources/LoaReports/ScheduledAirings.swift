import Foundation
import LoaDomain
import LoaStore

/// Scheduled airings as the report counts them. The log holds no entry per
/// planned airing: an airing is known from its events (receivers' `received` …
/// `finished`, or the controller's `missed` for one it could not send), whose item
/// id is `programme@date/session@hamlet` (`BroadcastSchedule.occurrenceID`). Its
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
        let parts = item.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 3, let (programme, site) = programmes[String(parts[0])] else { return nil }
        let dayAndPlace = parts[1].split(separator: "/", maxSplits: 1)
        guard dayAndPlace.count == 2, let date = LocalDate(iso: String(dayAndPlace[0])),
            let zone = TimeZone(identifier: site.timeZone)
        else { return nil }
        let place = String(dayAndPlace[1])
        let start = site.slots.first { $0.id == place }?.start ?? Self.fixedTime(place)
        guard let start else { return nil }
        let media: String = if case .audio(_, let media?) = programme.content { media.sha256 } else { "" }
        let startAt = WallClock(timeZone: zone).instant(date, start)
        return LoggedAnnouncement(
            id: "\(parts[0])@\(parts[1])", title: programme.title, category: programme.category.rawValue,
            priority: programme.priority.rawValue, hamlets: [String(parts[2])], startAt: startAt,
            durationMs: programme.durationSeconds * 1000, mediaSha256: media, createdAt: startAt)
    }

    /// `HHMM` → the time.
    private static func fixedTime(_ text: String) -> LocalTime? {
        guard text.count == 4, let hour = Int(text.prefix(2)), let minute = Int(text.suffix(2)) else { return nil }
        return LocalTime(hour: hour, minute: minute)
    }
}
