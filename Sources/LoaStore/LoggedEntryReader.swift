package import Foundation
package import LoaTransparency
import LoaProtocol

/// Reads log entries back in log order, linking each event to the announcement
/// entry of its item seen before it (`LoggedEntry.announcement`).
package struct LoggedEntryReader {
    private var announcements: [String: LoggedAnnouncement] = [:]

    package init() {}

    /// The entry at `index` with its stored bytes; call in log order.
    package mutating func entry(index: UInt64, bytes: Data) -> LoggedEntry {
        var entry = LoggedEntry(index: index, entry: bytes)
        switch entry.content {
        case .announcement(let announcement): announcements[announcement.id] = announcement
        case .event(let event, _): entry.announcement = announcements[LoggedAnnouncement.id(ofItem: event.item)]
        case .scheduleApplied, .approval, .other: break
        }
        return entry
    }
}
