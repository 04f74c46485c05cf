import Foundation
import LoaDomain
import LoaProtocol

/// Which notices go into each hamlet's schedule document: the approved notices of
/// the active schedule whose display days overlap the document window, as
/// `BoardNotice`s shown from the start of their first day to the start of the day
/// after their last, on the site's wall clock.
struct NoticeDispatch {
    let schedule: BroadcastSchedule
    let clock: WallClock

    /// The board notices by hamlet id, in schedule order, of the `approved` notices
    /// shown at some instant of `window`.
    func boardNotices(approved: Set<String>, window: ClosedRange<Date>) -> [String: [BoardNotice]] {
        var byHamlet: [String: [BoardNotice]] = [:]
        for notice in schedule.notices where approved.contains(notice.id) {
            let (showFrom, showUntil) = shown(notice)
            guard showFrom <= window.upperBound, showUntil > window.lowerBound else { continue }
            for hamlet in schedule.hamletIDs(of: notice.targets) {
                byHamlet[hamlet, default: []].append(BoardNotice(
                    id: "\(notice.id)@\(hamlet)", noticeId: notice.id, title: notice.title, body: notice.body,
                    category: notice.category, showFrom: showFrom, showUntil: showUntil,
                    attachment: notice.attachment?.media, disclosure: notice.disclosure))
            }
        }
        return byHamlet
    }

    /// Midnight starting `displayFrom`, and midnight ending `displayUntil`, in the site's time zone.
    func shown(_ notice: Notice) -> (from: Date, until: Date) {
        let midnight = LocalTime(secondsSinceMidnight: 0)!
        return (clock.instant(notice.displayFrom, midnight), clock.instant(notice.displayUntil.adding(days: 1), midnight))
    }
}
