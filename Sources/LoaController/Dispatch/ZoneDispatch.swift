import Foundation
import LoaDomain
import LoaProtocol

/// Decides what goes into a hamlet's next schedule document, and which airings
/// the controller must record as missed because no receiver ever heard of them
/// in time.
///
/// Receivers play from the retained document, by stable item ids, and never
/// play an id twice; so republishing is always safe. What needs care is an
/// airing whose instant has passed and that was not in the document published
/// before: it can no longer air, and it must not vanish silently. It is left
/// out of the new document and recorded as missed, with the reason:
/// - it falls after the previous document's window: the controller was not
///   running (or not publishing) when it should have been sent;
/// - it falls inside that window and became airable (stored, or approved) after
///   its time: it was approved (or applied) too late;
/// - it falls inside that window and was airable before its time: it was not
///   delivered (the broker did not take the document in time).
///
/// An airing listed for the first time in a document the broker took only after its
/// time (it was down while the document waited) is recorded as not delivered too
/// (`ScheduleDispatcher.publishSchedules`).
struct ZoneDispatch {
    /// An airing that is past and was never sent, with why.
    struct Missed: Equatable {
        var item: ScheduledItem
        var reason: LocalizedText
    }

    /// How late a start may still be listed: receivers play up to their grace late.
    static let grace: TimeInterval = 5

    /// Splits `candidates` (every airing the hamlet should have in the window, in
    /// air order) into the document's items and the missed ones.
    /// - Parameters:
    ///   - previous: the document published before, if any.
    ///   - lookAhead: how far ahead a document lists airings.
    ///   - airableSince: when each item (by id) became airable: an announcement stored,
    ///     a programme's approval completed; an item without one counts as late.
    static func decide(
        candidates: [ScheduledItem], previous: ZoneSchedule?, lookAhead: TimeInterval, now: Date,
        airableSince: [String: Date] = [:]
    ) -> (listed: [ScheduledItem], missed: [Missed]) {
        let sent = Set(previous?.items.map(\.id) ?? [])
        let horizon = previous.map { $0.issuedAt.addingTimeInterval(lookAhead) }
        var listed: [ScheduledItem] = []
        var missed: [Missed] = []
        for item in candidates {
            if item.startAt >= now.addingTimeInterval(-grace) || sent.contains(item.id) {
                listed.append(item)
            } else if let horizon, item.startAt <= horizon {
                missed.append(Missed(item: item, reason: Self.reasonInsideWindow(item, airableSince: airableSince[item.id])))
            } else {
                missed.append(Missed(item: item, reason: LocalizedText(
                    vi: "máy chủ không hoạt động khi cần gửi lịch xuống loa; không phát được",
                    en: "the controller was not running when it had to be sent; it could not air")))
            }
        }
        return (listed, missed)
    }

    /// Why an airing that was airable in time did not reach the receivers in time.
    static let notDelivered = LocalizedText(
        vi: "không gửi xuống loa kịp giờ phát: máy chủ tin nhắn (broker) không nhận lịch",
        en: "not delivered before its time: the broker did not take the schedule document")

    /// Why an airing inside the previous document's window was never sent.
    private static func reasonInsideWindow(_ item: ScheduledItem, airableSince since: Date?) -> LocalizedText {
        if let since, since < item.startAt { return notDelivered }
        if item.priority == .emergency {
            // Within `LateApproval.emergencyWindow` it would have been moved to air at once.
            let hours = Int(LateApproval.emergencyWindow / 3600)
            return LocalizedText(
                vi: "tin khẩn cấp được duyệt quá \(hours) giờ sau giờ phát: không phát, vì nội dung có thể không còn đúng; hãy đặt giờ phát mới",
                en: "an emergency approved more than \(hours) h after its instant is not aired, as its words may no longer hold; give it a new time")
        }
        return LocalizedText(
            vi: "được duyệt hoặc đưa vào lịch sau giờ phát; không gửi xuống loa",
            en: "approved or scheduled after its time; not sent to the receivers")
    }
}
