import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

@Suite("YAML syntax errors")
struct SyntaxErrorTests {
    @Test("a colon inside a plain value is reported at the parser's line and column, with the fix")
    func colonInValue() throws {
        let result = Fixture.load(programmes: Mistake.programme("title: Tin buổi sáng", "title: Thông báo: họp dân"))
        let error = try Fixture.only("yaml-syntax", in: result)
        #expect((error.file, error.line, error.column, error.field) == ("p.yaml", 3, 21, ""))
        #expect(error.message.vi.contains("dấu ngoặc kép"))
        #expect(error.message.en.contains("mapping values are not allowed"))
        #expect(result.schedule == nil)
    }

    @Test("a tab used for indentation says to use spaces")
    func tab() throws {
        let result = Fixture.load(programmes: Mistake.programme("    title:", "\ttitle:"))
        let error = try Fixture.only("yaml-syntax", in: result)
        #expect((error.line, error.column) == (3, 1))
        #expect(error.message.vi.contains("không dùng phím Tab"))
    }

    @Test("an unclosed list points past its end")
    func unclosedList() throws {
        let result = Fixture.load(programmes: Mistake.programme("slots: [sang]", "slots: [sang"))
        let error = try Fixture.only("yaml-syntax", in: result)
        #expect(error.line == 8)
        #expect(error.message.vi.contains("thiếu dấu ']'"))
    }

    @Test("a syntax error in one file does not hide the others' problems, nor claim the site is missing")
    func othersStillRead() {
        let result = ScheduleFiles.load(
            texts: [("a.yaml", "site: [\n"), ("b.yaml", Mistake.programme("category: news", "category: tin"))],
            baseDirectory: Fixture.schedulesDirectory)
        #expect(result.diagnostics.map(\.kind) == ["yaml-syntax", "unknown-category"])
    }

    @Test("a field written twice is reported at the second, with its path, and the rest of the file is still checked")
    func duplicateField() throws {
        let programmes = Mistake.programme("    repeat: daily", "    repeat: daily\n    repeat: weekly")
            .replacingOccurrences(of: "category: news", with: "category: tin")
        let result = Fixture.load(programmes: programmes)
        let duplicate = try Fixture.only("duplicate-field", in: result)
        #expect((duplicate.line, duplicate.column, duplicate.field) == (7, 5, "programmes[1].repeat"))
        #expect(duplicate.message.vi.contains("lần đầu ở dòng 6"))
        #expect(result.diagnostics.map(\.kind) == ["unknown-category", "duplicate-field"])
    }
}
