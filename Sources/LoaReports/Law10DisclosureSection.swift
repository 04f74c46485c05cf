/// The Law 10/2022/QH15 disclosure checks of a report: per disclosure,
/// loudspeaker days achieved against ≥ 3 for items 7–12, notice-board days
/// against ≥ 30, disclosed within 5 working days of the decision, and the
/// quarterly list of disclosures (Art. 13).
///
/// They need disclosure metadata the log does not carry yet (the disclosure
/// item number, the decision date, board postings: issue #3). Until then
/// `checks` stays empty and `pending` says why; nothing is estimated.
/// `ReportBuilder.law10Checks(disclosures:)` is the hook to fill.
public struct Law10DisclosureSection: Sendable, Equatable, Codable {
    /// Announcements of category `disclosure` in the period.
    public var disclosureAnnouncements: Int
    /// One check per disclosure, once the metadata exists.
    public var checks: [Law10DisclosureCheck]
    /// Why `checks` is empty, Vietnamese then English; nil once checks are made.
    public var pending: String?
}

/// The Law 10/2022 check of one disclosure. Its fields come with issue #3.
public struct Law10DisclosureCheck: Sendable, Equatable, Codable {
    /// The announcement that carried the disclosure.
    public var announcement: String
}
