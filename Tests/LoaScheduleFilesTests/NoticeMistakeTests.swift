import Foundation
import LoaDomain
import LoaScheduleFiles
import LoaHarness
import Testing

/// Notices (`notices:`) read with the same readers as programmes, and each mistake
/// reported where it is written (p.yaml holds the notice, from line 1).
@Suite("Notices for the boards")
struct NoticeMistakeTests {
    /// A notice that reads clean with the fixture's site: item 2 decided Friday 27/11/2026,
    /// posted 1–30/12 (30 days, first day within 5 working days).
    static let notice = """
        notices:
          - id: niem-yet
            title: Công khai dự toán ngân sách
            category: disclosure
            body: |
              | Nội dung | Số tiền |
              | Thu | 1.250.000.000 đồng |
            from: 2026-12-01
            until: 2026-12-30
            disclosure: {item: 2, decision-date: 2026-11-27}
        """

    /// The notice with `old` replaced by `new`.
    static func notice(_ old: String, _ new: String) -> String {
        precondition(notice.contains(old), "the notice has no '\(old)'")
        return notice.replacingOccurrences(of: old, with: new)
    }

    /// The notice with lines added at its end (from line 11).
    static func notice(adding lines: String...) -> String { notice + lines.map { "\n    \($0)" }.joined() }

    static let cases: [Mistake] = [
        Mistake(
            name: "a field notices do not have", programmes: notice(adding: "repeat: daily"),
            kind: "unknown-field", line: 11, column: 5, field: "notices[1].repeat", advice: ["from", "until"]),
        Mistake(
            name: "no first day", programmes: notice("    from: 2026-12-01\n", ""),
            kind: "missing-field", line: 2, column: 5, field: "notices[1].from", advice: ["ngày bắt đầu niêm yết", "from: 2026-12-01"]),
        Mistake(
            name: "no last day", programmes: notice("    until: 2026-12-30\n", ""),
            kind: "missing-field", line: 2, column: 5, field: "notices[1].until", advice: ["until: 2026-12-30"]),
        Mistake(
            name: "the last day before the first", programmes: notice("until: 2026-12-30", "until: 2026-11-30"),
            kind: "until-before-from", line: 9, column: 12, field: "notices[1].until", advice: ["từ 2026-12-01 trở đi"]),
        Mistake(
            name: "a notice with a programme's id", programmes: Fixture.programme + "\n" + notice("id: niem-yet", "id: tin-sang"),
            kind: "duplicate-id", line: 9, column: 9, field: "notices[1].id", advice: ["chương trình hay tin niêm yết", "p.yaml:2:9"]),
        Mistake(
            name: "a hamlet not declared", programmes: notice(adding: "targets: {hamlets: [thon-tay]}"),
            kind: "unknown-hamlet", line: 11, column: 25, field: "notices[1].targets.hamlets[1]", advice: ["thon-dong, thon-doai"]),
        Mistake(
            name: "a group not declared", programmes: notice(adding: "targets: {groups: [ven-bien]}"),
            kind: "unknown-group", line: 11, column: 24, field: "notices[1].targets.groups[1]", advice: ["ven-song"]),
        Mistake(
            name: "an attachment that is not there", programmes: notice(adding: "attachment: bang-du-toan.pdf"),
            kind: "attachment-missing", line: 11, column: 17, field: "notices[1].attachment", advice: ["bang-du-toan.pdf", "thư mục"]),
        Mistake(
            name: "an attachment that is audio", programmes: notice(adding: "attachment: ../Audio/chime.wav"),
            kind: "attachment-unsupported", line: 11, column: 17, field: "notices[1].attachment", advice: ["PNG, JPEG", "PDF"]),
        Mistake(
            name: "a budget disclosure posted 10 days", programmes: notice("until: 2026-12-30", "until: 2026-12-10"),
            kind: "notice-too-few-days", severity: .warning, line: 10, column: 17, field: "notices[1].disclosure",
            advice: ["Điều 13", "cần niêm yết ít nhất 30 ngày liên tục", "until: 2026-12-30"]),
        Mistake(
            name: "a disclosure posted after 5 working days",
            programmes: notice("from: 2026-12-01", "from: 2026-12-07").replacingOccurrences(of: "2026-12-30", with: "2027-01-05"),
            kind: "disclosure-late", severity: .warning, line: 10, column: 17, field: "notices[1].disclosure",
            advice: ["chậm nhất ngày 04/12/2026", "ngày niêm yết đầu tiên là 07/12/2026", "from: 2026-12-04"]),
        Mistake(
            name: "a disclosure that does not say its item", programmes: notice("    disclosure: {item: 2, decision-date: 2026-11-27}", ""),
            kind: "disclosure-details-missing", severity: .warning, line: 2, column: 5, field: "notices[1].disclosure",
            advice: ["tin niêm yết công khai", "disclosure: {item: 7, decision-date: 2026-11-23}"]),
    ]

    @Test("each is reported where it is written, saying what would be right", arguments: cases)
    func mistake(_ mistake: Mistake) throws {
        try mistake.check()
    }

    @Test("a clean notice reads into the domain, the quarterly list without warnings")
    func clean() throws {
        let list = Self.notice(adding: "targets: {groups: [ven-song]}")
            .replacingOccurrences(of: "disclosure: {item: 2, decision-date: 2026-11-27}", with: "disclosure: quarterly-list")
        let result = Fixture.load(programmes: list)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        let notice = try #require(result.schedule?.notices.first)
        #expect(notice.displayFrom == LocalDate(year: 2026, month: 12, day: 1) && notice.displayDays == 30)
        #expect(notice.body == "| Nội dung | Số tiền |\n| Thu | 1.250.000.000 đồng |")
        #expect(notice.targets == .groups(["ven-song"]) && notice.disclosure == nil)
        #expect(Fixture.load(programmes: Self.notice).schedule?.notices.first?.disclosure?.item == 2)
    }

    @Test("an image attachment is hashed into a media reference and kept for upload")
    func attachment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 32)
        try png.write(to: directory.path("bang.png"))
        let result = ScheduleFiles.load(
            texts: [("site.yaml", Fixture.site), ("p.yaml", Self.notice(adding: "attachment: bang.png"))],
            baseDirectory: directory.url.path)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered))")
        let attachment = try #require(result.schedule?.notices.first?.attachment)
        #expect(attachment.path == "bang.png")
        #expect(attachment.media?.contentType == "image/png" && attachment.media?.bytes == 40 && attachment.media?.durationMs == 0)
        #expect(attachment.media.map { MediaReference.isSHA256($0.sha256) } == true)
        #expect(result.noticeFiles == ["niem-yet": directory.path("bang.png").standardizedFileURL.path])
    }
}
