import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

@Suite("Rendering diagnostics")
struct RenderingTests {
    @Test("an error: place, Vietnamese severity, field and message, then the English line indented")
    func error() throws {
        let result = Fixture.load(programmes: Mistake.programme("category: news", "category: tuyen-truyen"))
        let diagnostic = try Fixture.only("unknown-category", in: result)
        let lines = diagnostic.rendered.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(
            "p.yaml:4:15: lỗi: programmes[1].category: 'tuyen-truyen' không phải là loại nội dung; có phải ý bạn là 'propaganda' (Tuyên truyền)? hãy dùng một trong: propaganda (Tuyên truyền), dialogue (Thông báo hội nghị đối thoại), disclosure (Công khai), emergency (Khẩn cấp), news (Thời sự), other (Khác)"))
        #expect(lines[1] == "  error: programmes[1].category: 'tuyen-truyen' is not a category; did you mean 'propaganda'? use one of: propaganda, dialogue, disclosure, emergency, news, other")
    }

    @Test("a warning says cảnh báo and warning")
    func warning() throws {
        let result = Fixture.load(programmes: Mistake.programme("slots: [sang]", "at: [10:00]"))
        let rendered = try Fixture.only("at-outside-slots", in: result).rendered
        #expect(rendered.hasPrefix("p.yaml:7:10: cảnh báo: programmes[1].at[1]: 10:00 nằm ngoài mọi buổi phát thanh"))
        #expect(rendered.contains("\n  warning: programmes[1].at[1]: 10:00 is outside every broadcast slot"))
    }

    @Test("the summary counts errors and warnings, or what a clean schedule holds")
    func summary() {
        let clean = Fixture.load(programmes: Fixture.programme)
        #expect(clean.summary.vi == "Hợp lệ: 1 xã, 2 thôn, 1 chương trình")
        #expect(clean.summary.en == "Valid: 1 commune, 2 hamlets, 1 programme")
        let broken = Fixture.load(programmes: Mistake.programme("category: news", "category: tin") + "\n    at: [05:10]")
        #expect(broken.summary.vi == "Không hợp lệ: 2 lỗi")
        let mixed = Fixture.load(programmes: Mistake.programme("slots: [sang]", "at: [10:00]\n    volume: 11"))
        #expect(mixed.summary.vi == "Không hợp lệ: 1 lỗi, 1 cảnh báo")
        #expect(mixed.summary.en == "Not valid: 1 error, 1 warning")
        #expect(mixed.rendered.hasSuffix("Không hợp lệ: 1 lỗi, 1 cảnh báo\n  Not valid: 1 error, 1 warning"))
    }

    @Test("every message of a badly broken file is Vietnamese in NFC, with its English")
    func normalised() {
        let programmes = Mistake.programme("category: news", "category: tuyen-truyen")
            .replacingOccurrences(of: "repeat: daily", with: "repeat: weekly\n    days: [t2]")
            + "\n    volume: 0\n    disclosure: {item: 20}\n    meeting: {date: 2027-02-30, kind: hop}"
        let result = Fixture.load(site: Mistake.site("05:00-05:30", "05:30-05:00"), programmes: programmes)
        #expect(result.diagnostics.count >= 7)
        for diagnostic in result.diagnostics {
            #expect(diagnostic.message.vi == diagnostic.message.vi.precomposedStringWithCanonicalMapping)
            #expect(!diagnostic.message.en.isEmpty)
            #expect(diagnostic.line >= 1 && diagnostic.column >= 1)
        }
    }
}
