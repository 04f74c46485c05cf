import LoaDomain

/// The law's deadlines for notices on the hamlets' boards (Law 10/2022/QH15): posted
/// within 5 working days of the decision (Art. 12), and items 1–3 and 5–12 posted at
/// least 30 consecutive days (Art. 13).
enum NoticeLawChecks {
    static func run(site: SiteDraft, notices: [NoticeDraft], log: DiagnosticLog) {
        for draft in notices {
            guard let disclosure = draft.disclosure, let from = draft.from?.value else { continue }
            LawChecks.checkDeadline(
                disclosure, first: from, site: site, log,
                first: (vi: "ngày niêm yết đầu tiên", en: "the first day posted"), fix: "niêm yết sớm hơn")
            guard let notice = draft.notice, let needed = notice.needsBoardDays, notice.displayDays < needed else {
                continue
            }
            let item = disclosure.value.item
            let last = notice.displayFrom.adding(days: needed - 1)
            disclosure.warning(
                log, "notice-too-few-days",
                vi: "Điều 13 Luật Thực hiện dân chủ ở cơ sở: nội dung công khai mục \(item) cần niêm yết ít nhất \(needed) ngày liên tục tại nhà văn hóa các thôn; tin này chỉ niêm yết \(notice.displayDays) ngày (\(notice.displayFrom.vietnameseDescription)–\(notice.displayUntil.vietnameseDescription)); hãy sửa thành until: \(last) hoặc muộn hơn",
                en: "Art. 13 of the Law on grassroots democracy: disclosure item \(item) must be posted at least \(needed) consecutive days at every hamlet's cultural house; this notice is posted \(notice.displayDays) day(s) (\(notice.displayFrom)–\(notice.displayUntil)); write until: \(last) or later")
        }
    }
}
