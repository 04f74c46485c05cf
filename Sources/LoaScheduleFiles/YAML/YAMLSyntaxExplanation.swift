/// Turns libyaml's terse problems into advice a culture officer can follow.
enum YAMLSyntaxExplanation {
    private static let known: [(problem: String, vi: String, en: String)] = [
        ("mapping values are not allowed",
         "có dấu ':' ở chỗ không được phép; nếu một giá trị có dấu ':' (một câu, một giờ trong câu), hãy đặt cả giá trị trong dấu ngoặc kép \"...\"",
         "put a value that holds ':' in double quotes \"...\""),
        ("tab character",
         "có ký tự Tab; hãy thụt lề bằng dấu cách, không dùng phím Tab",
         "indent with spaces, not tabs"),
        ("cannot start any token",
         "có ký tự không được đứng đầu một giá trị (thường là phím Tab, '@' hoặc '`'); hãy thụt lề bằng dấu cách, hoặc đặt giá trị trong dấu ngoặc kép",
         "indent with spaces (no tabs), or put the value in double quotes"),
        ("did not find expected key",
         "thụt lề không khớp: các trường cùng một mục phải thẳng cột với nhau, và mỗi trường có dạng 'tên: giá trị'",
         "fields of one item must start in the same column, each as 'name: value'"),
        ("did not find expected '-' indicator",
         "thụt lề của danh sách không khớp: các mục '- ' của cùng một danh sách phải thẳng cột",
         "the '- ' items of one list must start in the same column"),
        ("could not find expected ':'",
         "thiếu dấu ':' sau tên trường, hoặc một giá trị nhiều dòng chưa được đặt trong dấu ngoặc kép",
         "a field name needs ':' after it; put a multi-line value in double quotes or use 'text: |'"),
        ("did not find expected ',' or ']'",
         "danh sách trong [ ] thiếu dấu ',' giữa hai mục hoặc thiếu dấu ']' đóng",
         "a [ ] list needs ',' between items and a closing ']'"),
        ("did not find expected ',' or '}'",
         "nhóm trường trong { } thiếu dấu ',' hoặc thiếu dấu '}' đóng",
         "a { } group needs ',' between fields and a closing '}'"),
        ("found unexpected end of stream",
         "tệp kết thúc giữa chừng: có thể thiếu dấu ngoặc kép đóng, ']' hoặc '}'",
         "the file ends too early: a closing quote, ']' or '}' may be missing"),
        ("found unknown escape character",
         "trong dấu ngoặc kép, dấu '\\' phải đi kèm một ký tự hợp lệ; hãy dùng dấu ngoặc đơn '...' nếu cần ghi '\\'",
         "inside double quotes a backslash starts an escape; use single quotes to write a plain '\\'"),
        ("found undefined alias",
         "có tham chiếu '*tên' tới một neo '&tên' chưa được khai báo",
         "an alias '*name' refers to an anchor '&name' that is not defined"),
        ("found another document",
         "tệp chỉ được chứa một tài liệu; hãy bỏ dòng '---' thứ hai hoặc tách thành hai tệp",
         "a schedule file holds one document; remove the second '---' or split the file"),
        ("block sequence entries are not allowed",
         "mục danh sách '- ' đứng sai chỗ; hãy xuống dòng và thụt lề danh sách dưới tên trường",
         "start the '- ' list on its own lines, indented under the field name"),
    ]

    /// Vietnamese explanation (with the parser's words) and an English hint.
    static func explain(_ problem: String) -> (vi: String, en: String) {
        if let match = known.first(where: { problem.contains($0.problem) }) {
            return (match.vi, match.en)
        }
        return (
            "\(problem); hãy kiểm tra thụt lề (dùng dấu cách), dấu ':' sau tên trường và các dấu ngoặc",
            "check the indentation (spaces), the ':' after each field name and the brackets"
        )
    }
}
