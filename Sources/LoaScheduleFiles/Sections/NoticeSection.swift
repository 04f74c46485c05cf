import LoaDomain
import Yams

/// A notice as written, every part located, for the checks that need the whole
/// schedule (hamlets, the site's holidays, programme ids) before it becomes a `Notice`.
struct NoticeDraft {
    /// `notices[2]`.
    var field: String
    /// Where the item starts.
    var position: SourcePosition
    var id: Located<String>?
    var title: String?
    var category: Located<Category>?
    var body: String?
    var targets: Targets = .all
    var from: Located<LocalDate>?
    var until: Located<LocalDate>?
    var attachment: NoticeAttachment?
    /// The attachment's absolute path, when it was read.
    var attachmentFile: String?
    var disclosure: Located<Disclosure>?

    /// The domain notice, when every required part was read.
    var notice: Notice? {
        guard let id, let title, let category, let body, let from, let until else { return nil }
        return Notice(
            id: id.value, title: title, body: body, category: category.value, targets: targets, displayFrom: from.value,
            displayUntil: until.value, attachment: attachment, disclosure: disclosure?.value)
    }
}

/// Reads one item of `notices:` into a located draft, with the same value readers
/// as programmes (ids, dates, targets, disclosure).
struct NoticeSection {
    let attachments: NoticeAttachmentReader

    /// The draft, with its hamlet and group references located for the reference checks.
    func read(_ item: YAMLValue) -> (draft: NoticeDraft, hamlets: [Located<String>], groups: [Located<String>])? {
        guard let fields = MappingReader(item) else { return nil }
        var draft = NoticeDraft(field: item.field, position: item.position)
        draft.id = fields.required("id")?.identifier()
        draft.title = fields.required("title")?.text(atMost: TextLimits.title)
        draft.category = fields.required("category")?.choice(ScheduleChoices.category)
        draft.body = fields.required("body")?.text(atMost: TextLimits.noticeBody)
        var references: (hamlets: [Located<String>], groups: [Located<String>]) = ([], [])
        if let targets = fields.optional("targets"), let read = ProgrammeDetails.targets(targets) {
            draft.targets = read.targets
            references = (read.hamlets, read.groups)
        }
        draft.from = fields.required("from")?.date()
        draft.until = fields.required("until")?.date()
        ProgrammeTiming.checkRange(TimingDraft(from: draft.from, until: draft.until), item.log)
        if let read = fields.optional("attachment").flatMap(attachments.read) {
            draft.attachment = read.attachment
            draft.attachmentFile = read.file
        }
        if let disclosure = fields.optional("disclosure"), !Self.isQuarterlyList(disclosure) {
            draft.disclosure = ProgrammeDetails.disclosure(disclosure)
        }
        DisclosureRules.check(
            draft.disclosure, category: draft.category?.value, written: fields.has("disclosure"),
            at: Located(value: (), position: draft.position, field: draft.field), of: .notice, item.log)
        return (draft, references.hamlets, references.groups)
    }

    /// `disclosure: quarterly-list`: the quarterly list of disclosures (Art. 13), which
    /// is posted like a disclosure but is no Art. 11 item and has no decision.
    static let quarterlyList = "quarterly-list"

    private static func isQuarterlyList(_ value: YAMLValue) -> Bool {
        value.node.scalar?.string == quarterlyList
    }
}
