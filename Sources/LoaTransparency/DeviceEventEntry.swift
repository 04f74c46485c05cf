public import Foundation
public import LoaProtocol

extension LogEntryEncoding {
    /// The fields of the log entry for a receiver event stored at `receivedAt`:
    ///
    /// `type` = `event`; `id`, `device`, `site`, `zone`, `item`, `kind` as sent;
    /// `at`, `measuredStartAt`, `receivedAt` as RFC 3339 UTC with milliseconds
    /// (`2026-11-24T02:00:00.125Z`); `startOffsetMs`, `clockOffsetMs` and
    /// `clockUncertaintyMs`, `soundScore` fixed-point with three decimals (`-12.500`);
    /// `playedMs` decimal; `soundHeard` `true` or `false`; `reason` as sent. Absent
    /// optional values are left out.
    public static func fields(event: DeviceEvent, receivedAt: Date) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("type", "event"), ("id", event.id), ("device", event.device), ("site", event.site),
            ("zone", event.zone), ("item", event.item), ("kind", event.kind.rawValue),
            ("at", WireCoding.format(event.at)), ("receivedAt", WireCoding.format(receivedAt)),
        ]
        if let measured = event.measuredStartAt { fields.append(("measuredStartAt", WireCoding.format(measured))) }
        if let offset = event.startOffsetMs { fields.append(("startOffsetMs", String(format: "%.3f", offset))) }
        if let played = event.playedMs { fields.append(("playedMs", String(played))) }
        if let reason = event.reason { fields.append(("reason", reason)) }
        if let offset = event.clockOffsetMs { fields.append(("clockOffsetMs", String(format: "%.3f", offset))) }
        if let bound = event.clockUncertaintyMs { fields.append(("clockUncertaintyMs", String(format: "%.3f", bound))) }
        if let heard = event.soundHeard { fields.append(("soundHeard", heard ? "true" : "false")) }
        if let score = event.soundScore { fields.append(("soundScore", String(format: "%.3f", score))) }
        return fields
    }

    /// The canonical entry bytes for a receiver event stored at `receivedAt`.
    public static func encode(event: DeviceEvent, receivedAt: Date) -> Data {
        // The keys above are fixed and distinct, so encoding cannot fail.
        (try? encode(fields: fields(event: event, receivedAt: receivedAt))) ?? Data()
    }
}
