#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaDomain

/// A notice in a hamlet's schedule document, for the hamlet's notice boards:
/// shown from `showFrom` until `showUntil`.
public struct BoardNotice: Sendable, Equatable, Codable {
    /// Unique per hamlet: `notice@hamlet`; display events name it.
    public var id: String
    /// The notice's id in the schedule.
    public var noticeId: String
    public var title: String
    /// The body in the notice markup (`NoticeBody`).
    public var body: String
    public var category: Category
    /// Start of the first day shown, in the site's time zone.
    public var showFrom: Date
    /// End of the last day shown (the next midnight), in the site's time zone.
    public var showUntil: Date
    /// An image or PDF, fetched like audio at `{mediaBaseURL}/media/{sha256}` and checked.
    public var attachment: MediaReference?
    /// For a disclosure: the Art. 11 item and the decision date.
    public var disclosure: Disclosure?

    public init(
        id: String, noticeId: String, title: String, body: String, category: Category, showFrom: Date, showUntil: Date,
        attachment: MediaReference? = nil, disclosure: Disclosure? = nil
    ) {
        self.id = id
        self.noticeId = noticeId
        self.title = title
        self.body = body
        self.category = category
        self.showFrom = showFrom
        self.showUntil = showUntil
        self.attachment = attachment
        self.disclosure = disclosure
    }

    /// True while it is to be shown.
    public func isShown(at instant: Date) -> Bool { instant >= showFrom && instant < showUntil }

    /// An emergency notice takes over the whole screen while shown.
    public var takesOverScreen: Bool { category == .emergency }
}
