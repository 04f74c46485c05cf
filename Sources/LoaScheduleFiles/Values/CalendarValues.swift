import Foundation
import LoaDomain

extension YAMLValue {
    /// A time of day, `HH:MM` on the 24-hour clock.
    func time() -> Located<LocalTime>? {
        guard let text = text() else { return nil }
        return TimeText.parse(text, at: self).map(located)
    }

    /// `HH:MM-HH:MM` (an en dash and spaces are accepted too); the end may be earlier than
    /// the start, the caller decides whether that is allowed.
    func timeRange() -> Located<(start: LocalTime, end: LocalTime)>? {
        guard let text = text() else { return nil }
        let parts = text.split(whereSeparator: { "-–—".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else {
            let example = exampleLine ?? "time: 05:00-05:30"
            error(
                "invalid-time-range",
                vi: "'\(text)' không phải là khoảng giờ; hãy ghi giờ bắt đầu-giờ kết thúc, ví dụ: \(example)",
                en: "'\(text)' is not a time range; write start-end, e.g. \(example)")
            return nil
        }
        guard let start = TimeText.parse(parts[0], at: self), let end = TimeText.parse(parts[1], at: self) else {
            return nil
        }
        return located((start, end))
    }

    /// A calendar date, `YYYY-MM-DD`; a date that does not exist (2027-02-29) is named as such.
    func date() -> Located<LocalDate>? {
        guard let text = text() else { return nil }
        if let date = LocalDate(iso: text) { return located(date) }
        let parts = text.split(separator: "-").map { Int($0) }
        if parts.count == 3, let year = parts[0], let month = parts[1], parts[2] != nil, text.count == 10 {
            if !(1...12).contains(month) {
                error(
                    "invalid-date", vi: "'\(text)' không có thật: tháng phải từ 01 đến 12; hãy ghi năm-tháng-ngày, ví dụ 2026-12-01",
                    en: "'\(text)' does not exist: the month must be 01 to 12; write year-month-day, e.g. 2026-12-01")
            } else {
                let days = LocalDate.daysIn(month: month, year: year)
                error(
                    "invalid-date",
                    vi: "ngày \(text) không có thật: tháng \(month) năm \(year) chỉ có \(days) ngày; hãy ghi một ngày từ 01 đến \(days)",
                    en: "\(text) does not exist: month \(month) of \(year) has \(days) days; write a day from 01 to \(days)")
            }
            return nil
        }
        let slashed = text.split(separator: "/").compactMap { Int($0) }
        let hint = slashed.count == 3
            ? "\(slashed[2])-\(twoDigits(slashed[1]))-\(twoDigits(slashed[0]))"
            : "2026-12-01"
        error(
            "invalid-date", vi: "'\(text)' không phải là ngày; hãy ghi năm-tháng-ngày (YYYY-MM-DD), ví dụ \(hint)",
            en: "'\(text)' is not a date; write year-month-day (YYYY-MM-DD), e.g. \(hint)")
        return nil
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// Times of day as the files write them.
enum TimeText {
    /// `05:30` → the time; reports and returns nil otherwise, suggesting `17:30` for "17h30".
    static func parse(_ text: String, at value: YAMLValue) -> LocalTime? {
        if let time = LocalTime(text: text) { return time }
        let suggestion = vietnameseStyle(text)
        value.error(
            "invalid-time",
            vi: "'\(text)' không phải là giờ hợp lệ; hãy ghi giờ:phút theo 24 giờ, từ 00:00 đến 23:59, ví dụ \(suggestion ?? "05:30 hoặc 17:00")",
            en: "'\(text)' is not a valid time; write hours:minutes on the 24-hour clock, 00:00 to 23:59, e.g. \(suggestion ?? "05:30 or 17:00")")
        return nil
    }

    /// "17h30", "17g", "5h" → `17:30`, `17:00`, `05:00`.
    private static func vietnameseStyle(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard let separator = lowered.firstIndex(where: { $0 == "h" || $0 == "g" }) else { return nil }
        let rest = lowered[lowered.index(after: separator)...]
        guard let hours = Int(lowered[..<separator]), let minutes = rest.isEmpty ? 0 : Int(rest),
            let time = LocalTime(hour: hours, minute: minutes)
        else { return nil }
        return time.description
    }
}
