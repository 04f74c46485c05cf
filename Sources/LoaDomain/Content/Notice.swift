/// A written notice for the hamlets' electronic notice boards (bảng tin điện tử):
/// a disclosure, a meeting notice, a list of beneficiaries, a budget table.
///
/// It is shown, whole days in the site's time zone, from `displayFrom` through
/// `displayUntil`; most disclosures must stay posted ≥ 30 consecutive days (Art. 13).
public struct Notice: Sendable, Equatable, Codable {
    /// Unique among the schedule's programmes and notices.
    public var id: String
    /// Its title in Vietnamese, shown large at the top of the board.
    public var title: String
    /// The text, in a small markup the board renders (`NoticeBody`): paragraphs
    /// separated by blank lines, `- ` list items, and tables of `| a | b |` rows
    /// (the first row is the heading).
    public var body: String
    public var category: Category
    /// Which hamlets' boards show it.
    public var targets: Targets
    /// First day shown.
    public var displayFrom: LocalDate
    /// Last day shown (inclusive).
    public var displayUntil: LocalDate
    /// An image (PNG, JPEG) or PDF shown with it: its path as written in the schedule
    /// file (relative to that file) and the stored media once read or uploaded.
    public var attachment: NoticeAttachment?
    /// For a disclosure: the Art. 11 item and the decision date.
    public var disclosure: Disclosure?

    public init(
        id: String, title: String, body: String, category: Category, targets: Targets = .all, displayFrom: LocalDate,
        displayUntil: LocalDate, attachment: NoticeAttachment? = nil, disclosure: Disclosure? = nil
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.category = category
        self.targets = targets
        self.displayFrom = displayFrom
        self.displayUntil = displayUntil
        self.attachment = attachment
        self.disclosure = disclosure
    }

    /// Days it is posted, both ends included.
    public var displayDays: Int { displayFrom.days(to: displayUntil) + 1 }

    /// Art. 13: items 1–3 and 5–12 stay posted at least 30 consecutive days.
    public var needsBoardDays: Int? {
        guard let item = disclosure?.item, (1...3).contains(item) || (5...12).contains(item) else { return nil }
        return 30
    }
}

/// A file shown with a notice.
public struct NoticeAttachment: Sendable, Equatable, Codable {
    /// The path as written in the schedule file.
    public var path: String
    /// The stored file (sha256, size, `image/png`, `image/jpeg` or `application/pdf`).
    public var media: MediaReference?

    public init(path: String, media: MediaReference? = nil) {
        self.path = path
        self.media = media
    }
}
