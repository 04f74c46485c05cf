#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Turns a local day and time of the site into an instant, in the site's time zone.
///
/// On a daylight-saving change the offset in force at the resulting instant is used
/// (Vietnam has none; other sites may).
public struct WallClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// The wall clock of a site whose time zone is named `identifier` (IANA), resolved
    /// here and nowhere else. Loa's communes are in Vietnam: a missing or unknown name
    /// (which the settings and schedule checks refuse) reads as ``vietnam``, the one
    /// fallback everywhere.
    public init(siteTimeZone identifier: String?) {
        timeZone = identifier.flatMap(TimeZone.init(identifier:)) ?? Self.vietnam
    }

    /// `Asia/Ho_Chi_Minh` (UTC+7, no daylight saving time), or UTC+7 where the system
    /// has no time zone database, or the program none of its names: the receiver's device
    /// build links FoundationEssentials alone, which knows no zone by name, so there every
    /// site's clock (the board's, a proof of sound's local time) reads as UTC+7. The
    /// controller, which plans in the site's zone, links all of Foundation.
    public static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// Seconds since 1970 (UTC) of `time` on `date`.
    public func utcSeconds(_ date: LocalDate, _ time: LocalTime) -> Int {
        let local = date.dayNumber * 86_400 + time.secondsSinceMidnight
        let first = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        let guess = local - first
        let second = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))
        return second == first ? guess : local - second
    }

    /// The instant of `time` on `date`.
    public func instant(_ date: LocalDate, _ time: LocalTime) -> Date {
        Date(timeIntervalSince1970: TimeInterval(utcSeconds(date, time)))
    }

    /// The local day and time of an instant.
    public func local(_ instant: Date) -> (date: LocalDate, time: LocalTime) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (LocalDate(dayNumber: day), LocalTime(secondsSinceMidnight: seconds - day * 86_400)!)
    }
}
