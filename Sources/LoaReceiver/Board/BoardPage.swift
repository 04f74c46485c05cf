#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain
import LoaProtocol

/// The notice board's page: one self-contained HTML document (no external fonts, scripts or
/// images but the notices' own attachments) for a full-screen kiosk browser a few metres away.
///
/// The server renders everything; the inline script (``BoardPageAssets/script``) only
/// rotates the pages, keeps the clock, swaps in `#stage` from `/board.json` when it changed,
/// and reports the notices in rotation to `/displayed`.
enum BoardPage {
    /// The whole page.
    static func document(_ snapshot: BoardSnapshot) -> String {
        let stage = stage(snapshot)
        let place = "\(snapshot.hamletName) · \(snapshot.communeName)"
        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Bảng tin \(escape(place))</title>
            <style>\(BoardPageAssets.style)</style>
            </head>
            <body class="\(bodyClass(snapshot))" data-now="\(Int64((snapshot.now.timeIntervalSince1970 * 1000).rounded()))" \
            data-offset="\(snapshot.utcOffsetSeconds)" data-rotate="\(Int((snapshot.rotateSeconds * 1000).rounded()))" \
            data-signature="\(signature(of: stage))">
            <header><span class="place">\(escape(place))</span><span id="clock">\(clock(snapshot))</span></header>
            <main id="stage">\(stage)</main>
            <script>\(BoardPageAssets.script)</script>
            </body>
            </html>

            """
    }

    /// `normal` or `takeover` (red screen, no header).
    static func bodyClass(_ snapshot: BoardSnapshot) -> String { snapshot.view.isTakenOver ? "takeover" : "normal" }

    /// The part of the page that changes: one `.page` per notice (or the takeover, or a
    /// "no notice" page); each notice's element carries `data-notice` with its id.
    static func stage(_ snapshot: BoardSnapshot) -> String {
        let view = snapshot.view
        var pages: [String] = []
        if case .emergencyAudio(let title) = view.takeover {
            pages.append("""
                <section class="page emergency active"><div class="alarm">KHẨN CẤP</div>\
                <h1>\(escape(title))</h1><div class="content"><p>Đang phát tin khẩn cấp trên loa.</p></div></section>
                """)
        }
        let count = view.notices.count
        for (index, notice) in view.notices.enumerated() {
            let active = pages.isEmpty && index == 0
            pages.append(notice.takesOverScreen
                ? emergencyPage(notice, active: active)
                : noticePage(notice, number: index + 1, of: count, offset: snapshot.utcOffsetSeconds, active: active))
        }
        if pages.isEmpty {
            pages.append("""
                <section class="page empty active"><h1>Hiện chưa có thông báo niêm yết</h1>\
                <div class="content"><p>\(escape(snapshot.hamletName)) · \(escape(snapshot.communeName))</p></div></section>
                """)
        }
        return pages.joined(separator: "\n")
    }

    private static func noticePage(_ notice: BoardNotice, number: Int, of count: Int, offset: Int, active: Bool) -> String {
        var parts = ["<div class=\"kind\">\(escape(notice.category.vietnameseName))</div>", "<h1>\(escape(notice.title))</h1>"]
        if let disclosure = notice.disclosure {
            parts.append("<div class=\"law\">Công khai theo Điều 11 Luật 10/2022, mục \(disclosure.item)</div>")
        }
        parts.append("<div class=\"content\">\(blocks(notice.body))\(attachment(notice.attachment))</div>")
        parts.append("""
            <footer class="meta"><span>Niêm yết từ \(date(notice.showFrom, offset: offset)) \
            đến \(date(notice.showUntil.addingTimeInterval(-1), offset: offset))</span>\
            <span class="count">Trang \(number)/\(count)</span></footer>
            """)
        return "<section class=\"page\(active ? " active" : "")\" data-notice=\"\(escape(notice.id))\">"
            + parts.joined() + "</section>"
    }

    private static func emergencyPage(_ notice: BoardNotice, active: Bool) -> String {
        "<section class=\"page emergency\(active ? " active" : "")\" data-notice=\"\(escape(notice.id))\">"
            + "<div class=\"alarm\">KHẨN CẤP</div><h1>\(escape(notice.title))</h1>"
            + "<div class=\"content\">\(blocks(notice.body))</div></section>"
    }

    /// The body's markup (`NoticeBody`) as HTML; every text is escaped.
    static func blocks(_ body: String) -> String {
        NoticeBody.parse(body).map { block in
            switch block {
            case .paragraph(let text):
                return "<p>\(escape(text))</p>"
            case .list(let items):
                return "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
            case .table(let header, let rows):
                let head = "<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>"
                let body = rows.map { row in "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined()
                return "<table>\(head)<tbody>\(body)</tbody></table>"
            }
        }.joined()
    }

    /// An image below the text; a PDF (or anything else) as a line pointing to the cultural house.
    private static func attachment(_ media: MediaReference?) -> String {
        guard let media else { return "" }
        if BoardServer.imageTypes.contains(media.contentType) {
            return "<div class=\"attachment\"><img src=\"/attachments/\(escape(media.sha256))\" alt=\"\"></div>"
        }
        let kind = media.contentType == "application/pdf" ? "Văn bản đính kèm (PDF)" : "Tệp đính kèm"
        return "<p class=\"file\">\(kind) được niêm yết tại nhà văn hóa thôn.</p>"
    }

    /// `DD/MM/YYYY` of `instant` at the site's offset.
    static func date(_ instant: Date, offset: Int) -> String {
        let day = Int(((instant.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down))
        return LocalDate(dayNumber: day).vietnameseDescription
    }

    /// `HH:MM · DD/MM/YYYY`, as the script writes it every second.
    static func clock(_ snapshot: BoardSnapshot) -> String {
        let local = Int((snapshot.now.timeIntervalSince1970 + Double(snapshot.utcOffsetSeconds)).rounded(.down))
        let minutes = ((local % 86_400 + 86_400) % 86_400) / 60
        return (minutes / 60).digits(width: 2) + ":" + (minutes % 60).digits(width: 2) + " · " + date(snapshot.now, offset: snapshot.utcOffsetSeconds)
    }

    /// A short hash of the stage, so the page can tell a change.
    static func signature(of stage: String) -> String { String(MediaDigest.sha256(Data(stage.utf8)).prefix(16)) }

    /// Text made safe for HTML content and attribute values.
    static func escape(_ text: String) -> String { text.htmlEscaped }
}
