public import LoaDomain

extension ScheduleDiagnostic {
    /// Two lines, as compilers print them, Vietnamese first:
    ///
    ///     Schedules/xa-binh-giang.yaml:42:14: lỗi: programmes[2].category: 'tuyen-truyen' không phải là …
    ///       error: programmes[2].category: 'tuyen-truyen' is not a category; …
    public var rendered: String {
        let place = file.isEmpty ? "" : "\(file):\(line):\(column): "
        let subject = field.isEmpty ? "" : "\(field): "
        return "\(place)\(severity.vietnameseName): \(subject)\(message.vi)\n  \(severity.rawValue): \(subject)\(message.en)"
    }
}

extension ScheduleLoadResult {
    /// One line for the end of a check: "Hợp lệ: 1 xã, 6 thôn, 6 chương trình, 3 tin niêm yết" when the schedule
    /// can be used, "Không hợp lệ: 2 lỗi, 1 cảnh báo" otherwise.
    public var summary: LocalizedText {
        let warnings = warningCount
        let warningVI = warnings > 0 ? ", \(warnings) cảnh báo" : ""
        let warningEN = warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""
        guard let schedule, !hasErrors else {
            let errors = errorCount
            return LocalizedText(
                vi: "Không hợp lệ: \(errors) lỗi\(warningVI)",
                en: "Not valid: \(errors) error\(errors == 1 ? "" : "s")\(warningEN)")
        }
        let hamlets = schedule.hamlets.count, programmes = schedule.programmes.count, notices = schedule.notices.count
        let noticesVI = notices > 0 ? ", \(notices) tin niêm yết" : ""
        let noticesEN = notices > 0 ? ", \(notices) notice\(notices == 1 ? "" : "s")" : ""
        return LocalizedText(
            vi: "Hợp lệ: 1 xã, \(hamlets) thôn, \(programmes) chương trình\(noticesVI)\(warningVI)",
            en: "Valid: 1 commune, \(hamlets) hamlet\(hamlets == 1 ? "" : "s"), \(programmes) programme\(programmes == 1 ? "" : "s")\(noticesEN)\(warningEN)")
    }

    /// Every diagnostic rendered, then the summary (Vietnamese, then English indented).
    public var rendered: String {
        let lines = diagnostics.map(\.rendered) + ["\(summary.vi)\n  \(summary.en)"]
        return lines.joined(separator: "\n")
    }
}
