public import Foundation
import LoaDomain
public import LoaProtocol

/// An airing or a board notice that the controller has sent to a hamlet in a
/// schedule document: what a device's event about it is checked against.
public struct SentItem: Sendable, Equatable {
    /// An airing (`ScheduledItem`) or a notice for the boards (`BoardNotice`).
    public enum Kind: String, Sendable, CaseIterable {
        case airing, notice
    }

    public var zone: String
    /// `ScheduledItem.id` or `BoardNotice.id`.
    public var item: String
    public var kind: Kind
    /// An airing's instant, or when a notice starts to be shown.
    public var startAt: Date
    /// An airing's instant plus its audio's duration, or when a notice stops being shown.
    public var endAt: Date
    /// An airing's audio duration in milliseconds; nil for a notice.
    public var durationMs: Int?
    /// When it was first in a document the controller published.
    public var firstSentAt: Date

    public init(zone: String, item: String, kind: Kind, startAt: Date, endAt: Date, durationMs: Int?, firstSentAt: Date) {
        self.zone = zone
        self.item = item
        self.kind = kind
        self.startAt = startAt
        self.endAt = endAt
        self.durationMs = durationMs
        self.firstSentAt = firstSentAt
    }

    /// Everything `document` lists for its hamlet, as sent at its `issuedAt`.
    public static func listed(in document: ZoneSchedule) -> [SentItem] {
        document.items.map { item in
            SentItem(
                zone: document.zone, item: item.id, kind: .airing, startAt: item.startAt,
                endAt: item.startAt.addingTimeInterval(Double(item.airingMs) / 1000),
                durationMs: item.airingMs, firstSentAt: document.issuedAt)
        }
            + (document.notices ?? []).map { notice in
                SentItem(
                    zone: document.zone, item: notice.id, kind: .notice, startAt: notice.showFrom, endAt: notice.showUntil,
                    durationMs: nil, firstSentAt: document.issuedAt)
            }
    }
}
