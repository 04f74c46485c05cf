import LoaDomain

/// What a programme or notice carrying a disclosure must say: `category: disclosure`
/// with a `disclosure:` part (item and decision date), so reports and deadlines work.
enum DisclosureRules {
    /// What is checked, for the messages.
    enum Subject {
        case programme, notice

        var vi: String { self == .programme ? "chương trình" : "tin niêm yết" }
        var en: String { self == .programme ? "programme" : "notice" }
        /// Where the law's deadlines are checked: on the loudspeakers or on the boards.
        var deadlines: (vi: String, en: String) {
            self == .programme ? ("thời hạn", "the legal deadlines") : ("thời hạn và số ngày niêm yết", "the deadline and the days posted")
        }
    }

    /// Warns of a `disclosure:` on another category, and of a disclosure without one.
    /// - Parameters:
    ///   - written: true when `disclosure:` is written, even if it could not be read.
    ///   - place: the item's start, where a missing part is reported.
    static func check(
        _ disclosure: Located<Disclosure>?, category: Category?, written: Bool, at place: Located<Void>, of subject: Subject,
        _ log: DiagnosticLog
    ) {
        if let disclosure, let category, category != .disclosure {
            disclosure.warning(
                log, "disclosure-category",
                vi: "\(subject.vi) có phần disclosure (công khai) nhưng loại nội dung là \(category.rawValue) (\(category.vietnameseName)); nếu đây là nội dung công khai, hãy ghi category: disclosure để báo cáo tính đúng",
                en: "the \(subject.en) has a disclosure part but its category is \(category.rawValue); if it is a public disclosure, write category: disclosure so reports count it")
        }
        if category == .disclosure, disclosure == nil, !written {
            log.warning(
                "disclosure-details-missing", at: place.position, field: place.field + ".disclosure",
                vi: "\(subject.vi) công khai chưa ghi mục công khai và ngày quyết định nên Loa không kiểm tra được \(subject.deadlines.vi) theo Luật Thực hiện dân chủ ở cơ sở; hãy thêm, ví dụ: disclosure: {item: 7, decision-date: 2026-11-23}",
                en: "the disclosure does not say its item and decision date, so Loa cannot check \(subject.deadlines.en); add e.g. disclosure: {item: 7, decision-date: 2026-11-23}")
        }
    }
}
