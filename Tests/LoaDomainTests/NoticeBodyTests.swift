import LoaDomain
import Testing

@Suite("How a notice's markup is read into blocks", .serialized)
struct NoticeBodyTests {
    @Test("paragraphs are separated by blank lines and their lines join with a space")
    func paragraphs() {
        let text = "UBND xã thông báo\nvề việc cấp thẻ BHYT.\n\n\nĐề nghị bà con theo dõi."
        #expect(NoticeBody.parse(text) == [
            .paragraph("UBND xã thông báo về việc cấp thẻ BHYT."),
            .paragraph("Đề nghị bà con theo dõi."),
        ])
    }

    @Test("consecutive list items make one list, between paragraphs")
    func list() {
        let text = "Hồ sơ gồm:\n- Đơn đề nghị\n- Bản sao CCCD\n-  Sổ hộ khẩu  \nNộp tại bộ phận một cửa."
        #expect(NoticeBody.parse(text) == [
            .paragraph("Hồ sơ gồm:"),
            .list(["Đơn đề nghị", "Bản sao CCCD", "Sổ hộ khẩu"]),
            .paragraph("Nộp tại bộ phận một cửa."),
        ])
    }

    @Test("a table's first row is the header, the separator row is skipped and cells are trimmed")
    func table() {
        let text = """
            Danh sách hộ được hỗ trợ:
            | STT | Họ và tên | Số tiền |
            |---|:---|---:|
            | 1 | Nguyễn Văn An | 1.500.000 đ |
            |2|Trần Thị Bình|
            """
        #expect(NoticeBody.parse(text) == [
            .paragraph("Danh sách hộ được hỗ trợ:"),
            .table(header: ["STT", "Họ và tên", "Số tiền"], rows: [
                ["1", "Nguyễn Văn An", "1.500.000 đ"],
                ["2", "Trần Thị Bình", ""],
            ]),
        ])
    }

    @Test("a table without a separator row and Windows line ends read the same")
    func tableWithoutSeparator() {
        #expect(NoticeBody.parse("| Thôn | Số hộ |\r\n| Đông | 12 |\r\n\r\nHết.") == [
            .table(header: ["Thôn", "Số hộ"], rows: [["Đông", "12"]]),
            .paragraph("Hết."),
        ])
    }

    @Test("empty text has no blocks, and markup-like text stays text")
    func emptyAndPlain() {
        #expect(NoticeBody.parse("").isEmpty)
        #expect(NoticeBody.parse("\n  \n").isEmpty)
        #expect(NoticeBody.parse("<b>-5 độ</b> -- không phải danh sách") == [.paragraph("<b>-5 độ</b> -- không phải danh sách")])
    }
}
