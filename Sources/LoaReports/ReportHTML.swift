import Foundation
import LoaDomain

extension ReportRendering {
    /// A self-contained printable HTML page in Vietnamese (`lang="vi"`, UTF-8, no
    /// external resources): one table per category with its total, the incidents,
    /// the Law 10/2022 section and the checkpoint the figures rest on.
    public func html(_ report: Report, communeName: String? = nil) -> String {
        var body = ""
        body += "<h1>Báo cáo phát thanh \(escape(communeName ?? ""))</h1>\n"
        body += "<p class=\"en\">Broadcast report</p>\n"
        body += "<p>Thời gian (period): <strong>\(escape(period(report)))</strong>"
        if let hamlet = report.hamlet { body += " · Thôn (hamlet): \(escape(hamletName(hamlet)))" }
        if let category = report.category { body += " · Loại tin (category): \(escape(categoryName(category)))" }
        body += "</p>\n"
        body += "<p>Số liệu tính từ \(report.logEntries) mục của nhật ký minh bạch (figures computed from \(report.logEntries) transparency-log entries).</p>\n"

        let categories = report.rows.map(\.category).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if categories.isEmpty { body += "<p>Không có thông báo nào trong thời gian này (no announcement in the period).</p>\n" }
        let header = Self.header.dropFirst()
        for category in categories {
            let rows = report.rows.filter { $0.category == category }
            body += "<h2>\(escape(categoryName(category)))</h2>\n<table>\n<thead><tr>"
            body += header.map { "<th>\(headingHTML($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for row in rows { body += rowHTML(Array(cells(row).dropFirst())) }
            let total = ReportRow.total(of: rows, category: category, hamlet: "Tổng (total)")
            var totalCells = Array(cells(total).dropFirst())
            totalCells[0] = "Tổng (total)"
            body += rowHTML(totalCells, className: "total")
            body += "</tbody>\n</table>\n"
        }

        if !report.incidents.isEmpty {
            body += "<h2>Sự cố <span class=\"en\">(incidents)</span></h2>\n"
            body += tableHTML(header: Self.incidentHeader, rows: report.incidents.map(incidentCells))
        }
        if report.eventsWithoutAnnouncement > 0 {
            body += "<p>\(report.eventsWithoutAnnouncement) sự kiện không có mục thông báo trong nhật ký (events without an announcement entry), không tính ở trên.</p>\n"
        }

        body += "<h2>Kiểm tra theo Luật 10/2022/QH15 <span class=\"en\">(Law 10/2022 disclosure checks)</span></h2>\n"
        body += "<p>Số tin công khai trong kỳ (disclosures in the period): \(report.law10.disclosureAnnouncements)</p>\n"
        if let pending = report.law10.pending { body += "<p class=\"pending\">\(escape(pending))</p>\n" }
        if report.law10.pending == nil {
            body += tableHTML(header: Self.law10Header, rows: law10Rows(report.law10))
            body += "<h3>Danh mục thông tin công khai theo quý <span class=\"en\">(quarterly list of disclosures)</span></h3>\n"
            body += tableHTML(header: Self.quarterlyHeader, rows: quarterlyRows(report.law10))
        }

        if let checkpoint = report.checkpoint {
            body += "<h2>Điểm kiểm chứng <span class=\"en\">(signed checkpoint)</span></h2>\n"
            body += "<p>Kiểm tra bằng <code>loa log verify --checkpoint</code> với nội dung sau (verify with it):</p>\n"
            body += "<pre>\(escape(checkpoint))</pre>\n"
        }
        body += "<div class=\"sign\"><div>Người lập biểu<br><span class=\"en\">(prepared by)</span></div>"
        body += "<div>Người kiểm tra<br><span class=\"en\">(checked by)</span></div></div>\n"

        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Báo cáo phát thanh — \(escape(period(report)))</title>
            <style>
            body { font-family: "Times New Roman", serif; margin: 2em; color: #000; }
            h1 { font-size: 1.5em; margin-bottom: 0; } h2 { font-size: 1.15em; margin-top: 1.5em; }
            .en { color: #555; font-size: 0.85em; font-weight: normal; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9em; page-break-inside: auto; }
            th, td { border: 1px solid #444; padding: 0.25em 0.4em; vertical-align: top; }
            th { background: #eee; } tr { page-break-inside: avoid; }
            td.n { text-align: right; } tr.total td { font-weight: bold; }
            pre { font-size: 0.8em; white-space: pre-wrap; word-break: break-all; }
            .pending { font-style: italic; }
            .sign { display: flex; justify-content: space-around; margin-top: 3em; text-align: center; min-height: 6em; }
            @media print { body { margin: 1cm; } }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// A table with `header` (Vietnamese first) and `rows`.
    private func tableHTML(header: [String], rows: [[String]]) -> String {
        "<table>\n<thead><tr>" + header.map { "<th>\(headingHTML($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            + rows.map { rowHTML($0) }.joined() + "</tbody>\n</table>\n"
    }

    private func rowHTML(_ cells: [String], className: String? = nil) -> String {
        let open = className.map { "<tr class=\"\($0)\">" } ?? "<tr>"
        return open + cells.map { cell in
            let numeric = !cell.isEmpty && cell.allSatisfy { $0.isNumber || "./%—".contains($0) }
            return numeric ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
        }.joined() + "</tr>\n"
    }

    /// `Thôn (hamlet)` → `Thôn <span class="en">(hamlet)</span>`.
    private func headingHTML(_ heading: String) -> String {
        guard let open = heading.firstIndex(of: "(") else { return escape(heading) }
        return escape(String(heading[..<open])) + "<span class=\"en\">" + escape(String(heading[open...])) + "</span>"
    }

    private func escape(_ text: String) -> String { text.htmlEscaped }
}
