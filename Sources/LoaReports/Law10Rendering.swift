import LoaDomain

extension ReportRendering {
    /// Headings of the Law 10/2022 checks, one row per disclosure and hamlet.
    public static let law10Header = [
        "Mục (item)", "Nội dung công khai (disclosure)", "Thôn (hamlet)", "Bảng tin: ngày liên tục (board run)",
        "Loa: ngày liên tiếp (loudspeaker run)", "Hạn công khai (due by)", "Công khai lần đầu (first disclosed)",
        "Kết quả (result)", "Ghi chú (notes)",
    ]

    /// Headings of the quarterly list.
    public static let quarterlyHeader = [
        "Quý (quarter)", "Mục (item)", "Nội dung công khai (disclosure)", "Hình thức (how)", "Thời gian (when)",
        "Số thôn (hamlets)",
    ]

    /// The cells of every disclosure and hamlet.
    public func law10Rows(_ section: Law10DisclosureSection) -> [[String]] {
        section.checks.flatMap { check in
            check.hamlets.map { hamlet in
                var notes = hamlet.problems
                if !check.onTime {
                    notes.append(check.firstDisclosed.map {
                        "công khai muộn: lần đầu \($0.vietnameseDescription), hạn \(check.dueBy.vietnameseDescription) (disclosed late)"
                    } ?? "chưa công khai (not disclosed)")
                }
                return [
                    String(check.item), check.title, hamletName(hamlet.hamlet), Self.run(hamlet.board),
                    Self.run(hamlet.loudspeaker), check.dueBy.vietnameseDescription,
                    check.firstDisclosed?.vietnameseDescription ?? "—",
                    hamlet.passes && check.onTime ? "đạt (passes)" : "chưa đạt (falls short)", notes.joined(separator: "; "),
                ]
            }
        }
    }

    /// The cells of the quarterly list.
    public func quarterlyRows(_ section: Law10DisclosureSection) -> [[String]] {
        section.quarterlyList.map { entry in
            [
                "Quý \(entry.quarter)/\(entry.year)", entry.item.map(String.init) ?? "—", entry.title,
                entry.channel == "board" ? "niêm yết trên bảng tin (board)" : "phát trên loa (loudspeaker)",
                "\(entry.from.vietnameseDescription) – \(entry.until.vietnameseDescription)", String(entry.hamlets),
            ]
        }
    }

    /// The Law 10/2022 part of the terminal table.
    func law10Table(_ report: Report) -> String {
        var out = "\nLuật 10/2022 (Law 10/2022): \(report.law10.disclosureAnnouncements) tin công khai (disclosures)"
        if let pending = report.law10.pending { return out + "; \(pending)\n" }
        out += "\n" + TextTable.render(header: Self.law10Header, rows: law10Rows(report.law10)) + "\n"
        if !report.law10.quarterlyList.isEmpty {
            out += "\nDanh mục thông tin công khai theo quý (quarterly list of disclosures)\n"
            out += TextTable.render(header: Self.quarterlyHeader, rows: quarterlyRows(report.law10)) + "\n"
        }
        return out
    }

    /// The Law 10/2022 checks as CSV records (RFC 4180), with machine-readable columns.
    public func law10CSV(_ report: Report) -> String {
        CSV.render(
            header: ["item", "decisionDate", "title", "hamlet", "boardDays", "boardRun", "boardRequired", "boardFirstGap",
                     "loudspeakerDays", "loudspeakerRun", "loudspeakerRequired", "dueBy", "firstDisclosed", "passes", "notes"],
            records: report.law10.checks.flatMap { check in check.hamlets.map { Self.csvRecord(check, $0) } })
    }

    private static func csvRecord(_ check: Law10DisclosureCheck, _ hamlet: Law10HamletCheck) -> [String] {
        let board = hamlet.board, loudspeaker = hamlet.loudspeaker
        let gap: String = board.firstGap.map { "\($0.from)/\($0.until)" } ?? ""
        let identity: [String] = [String(check.item), check.decisionDate.description, check.title, hamlet.hamlet]
        let boardCells: [String] = [
            String(board.days), String(board.longestRun), board.required.map(String.init) ?? "", gap,
        ]
        let loudspeakerCells: [String] = [
            String(loudspeaker.days), String(loudspeaker.longestRun), loudspeaker.required.map(String.init) ?? "",
        ]
        let outcome: [String] = [
            check.dueBy.description, check.firstDisclosed?.description ?? "", String(hamlet.passes && check.onTime),
            hamlet.problems.joined(separator: "; "),
        ]
        return identity + boardCells + loudspeakerCells + outcome
    }

    /// "29/30" (longest run of the days asked), "4" when nothing is asked.
    private static func run(_ days: Law10ChannelDays) -> String {
        days.required.map { "\(days.longestRun)/\($0)" } ?? (days.days == 0 ? "—" : String(days.longestRun))
    }
}
