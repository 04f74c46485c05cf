import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

/// Disclosures and meeting notices against what the law asks, from the file alone (p.yaml
/// as in `ProgrammeMistakeTests`, with lines added from line 8).
@Suite("Disclosures and meeting notices")
struct LawWarningTests {
    static let budget = "disclosure: {item: 2, decision-date: 2026-11-20}"
    static let dialogueMeeting = "meeting: {date: 2026-12-13, kind: dialogue-conference}"

    static func disclosure(_ lines: String...) -> String {
        Mistake.programme("category: news", "category: disclosure") + lines.map { "\n    \($0)" }.joined()
    }

    static func dialogue(_ lines: String...) -> String {
        Mistake.programme("category: news", "category: dialogue") + lines.map { "\n    \($0)" }.joined()
    }

    static let cases: [Mistake] = [
        Mistake(
            name: "a disclosure part on a programme of another category",
            programmes: Mistake.programme(adding: budget),
            kind: "disclosure-category", severity: .warning, line: 8, column: 17, field: "programmes[1].disclosure",
            advice: ["category: disclosure"]),
        Mistake(
            name: "a disclosure that does not say its item",
            programmes: disclosure(),
            kind: "disclosure-details-missing", severity: .warning, line: 2, column: 5, field: "programmes[1].disclosure",
            advice: ["disclosure: {item: 7, decision-date: 2026-11-23}"]),
        Mistake(
            name: "a disclosure without its decision date",
            programmes: disclosure("disclosure: {item: 7}"),
            kind: "missing-field", line: 8, column: 17, field: "programmes[1].disclosure.decision-date",
            advice: ["ngày ra quyết định", "decision-date: 2026-11-23"]),
        Mistake(
            name: "a disclosure item beyond Art. 11",
            programmes: disclosure("disclosure: {item: 15, decision-date: 2026-11-20}"),
            kind: "out-of-range", line: 8, column: 24, field: "programmes[1].disclosure.item",
            advice: ["từ 1 đến 14", "Điều 11"]),
        Mistake(
            name: "a disclosure first aired after 5 working days",
            programmes: disclosure(budget, "from: 2026-12-07"),
            kind: "disclosure-late", severity: .warning, line: 8, column: 17, field: "programmes[1].disclosure",
            advice: ["chậm nhất ngày 27/11/2026", "from: 2026-11-27"]),
        Mistake(
            name: "social support aired on 2 consecutive days only (Sunday has no slot)",
            programmes: disclosure(
                "disclosure: {item: 7, decision-date: 2026-11-27}", "from: 2026-12-04", "until: 2026-12-07"),
            kind: "disclosure-too-few-days", severity: .warning, line: 8, column: 17, field: "programmes[1].disclosure",
            advice: ["ít nhất 3 ngày liên tiếp", "chỉ có 2 ngày liên tiếp", "kéo dài until"]),
        Mistake(
            name: "a dialogue notice without its meeting",
            programmes: dialogue(),
            kind: "meeting-missing", severity: .warning, line: 2, column: 5, field: "programmes[1].meeting",
            advice: ["meeting: {date: 2026-12-13, kind: dialogue-conference}"]),
        Mistake(
            name: "a dialogue notice starting 3 days before the conference",
            programmes: dialogue(dialogueMeeting, "from: 2026-12-10", "until: 2026-12-12"),
            kind: "meeting-notice-late", severity: .warning, line: 8, column: 14, field: "programmes[1].meeting",
            advice: ["ít nhất 5 ngày", "từ ngày 08/12/2026 trở về trước", "from: 2026-12-08"]),
        Mistake(
            name: "a notice still airing after the meeting",
            programmes: dialogue(dialogueMeeting, "from: 2026-12-01"),
            kind: "meeting-notice-after", severity: .warning, line: 8, column: 14, field: "programmes[1].meeting",
            advice: ["until: 2026-12-12"]),
    ]

    @Test("each is reported on the disclosure or meeting, saying what the law asks", arguments: cases)
    func mistake(_ mistake: Mistake) throws {
        try mistake.check()
    }

    @Test("a disclosure on time and a notice well ahead give no warning")
    func onTime() {
        let disclosure = Self.disclosure(
            "disclosure: {item: 7, decision-date: 2026-11-23}", "from: 2026-11-25", "until: 2026-11-28")
        let dialogue = Self.dialogue(Self.dialogueMeeting, "from: 2026-12-07", "until: 2026-12-12")
            .replacingOccurrences(of: "id: tin-sang", with: "id: doi-thoai").replacingOccurrences(of: "programmes:\n", with: "")
        let result = Fixture.load(programmes: disclosure + "\n" + dialogue)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        #expect(result.schedule?.programmes.count == 2)
    }
}
