public import Foundation
public import LoaDomain

/// A schedule of the test commune (`Commune.testSite`) with one relay programme,
/// `tiep-song-vov`, for every hamlet, once.
public enum RelaySchedule {
    /// The relay programme's id.
    public static let programme = "tiep-song-vov"

    /// Relays `sources` at `instant` (whole seconds, as schedule times are) for `seconds`.
    public static func once(relaying sources: [String], at instant: Date, seconds: Int) throws -> BroadcastSchedule {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        guard let date = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!),
            let time = LocalTime(hour: parts.hour!, minute: parts.minute!, second: parts.second!)
        else { throw NoLocalTime(instant: instant) }
        return BroadcastSchedule(
            site: SiteSettings(id: Commune.testSite.id, name: Commune.testSite.name, slots: []),
            hamlets: Commune.testSite.hamlets.map { ScheduleHamlet(id: $0.id, name: $0.name) },
            programmes: [Programme(
                id: programme, title: "Tiếp sóng Đài Tiếng nói Việt Nam", category: .propaganda, content: .relay(sources: sources),
                durationSeconds: seconds, targets: .all, recurrence: Recurrence(days: .once(date), times: .at([time])))])
    }
}

/// An instant without a local date and time in Vietnam (never, for a real instant).
public struct NoLocalTime: Error {
    public let instant: Date
}
