import Foundation
import LoaDomain

extension YAMLValue {
    /// Days of the week: `daily`, a range `mon-sat`, one day `mon`, or a list of days and ranges.
    func weekdays() -> Located<Set<Weekday>>? {
        if shapeKind == .list {
            guard let items = nonEmptyList() else { return nil }
            var days: Set<Weekday> = []
            var failed = false
            for item in items {
                guard let text = item.text(), let some = item.weekdays(in: text) else {
                    failed = true
                    continue
                }
                days.formUnion(some)
            }
            return failed ? nil : located(days)
        }
        guard let text = text() else { return nil }
        return weekdays(in: text).map(located)
    }

    /// `daily`, `mon-sat` or `mon`, reported when it is none of them.
    private func weekdays(in text: String) -> Set<Weekday>? {
        if text == "daily" { return Set(Weekday.allCases) }
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if ends.count == 2, let first = Weekday(rawValue: ends[0]), let last = Weekday(rawValue: ends[1]) {
            guard first <= last else {
                let around = (Weekday.allCases.filter { $0 >= first } + Weekday.allCases.filter { $0 <= last })
                    .map(\.rawValue).joined(separator: ", ")
                error(
                    "invalid-day-range",
                    vi: "khoảng ngày '\(text)' phải đi từ ngày đầu tuần tới ngày cuối tuần (mon trước sun), ví dụ mon-sat; với những ngày vắt qua cuối tuần, hãy liệt kê: [\(around)]",
                    en: "the day range '\(text)' must run forward through the week (mon before sun), e.g. mon-sat; list days across the weekend: [\(around)]")
                return nil
            }
            return Set(Weekday.allCases.filter { first <= $0 && $0 <= last })
        }
        if let day = Weekday(rawValue: text) { return [day] }
        // In a range, point at the end that is wrong and show the range corrected.
        let wholeIsAName = Weekday.allCases.contains { day in
            [day.vietnameseName, day.vietnameseShort, "\(day)"].contains { NearestName.folded($0) == NearestName.folded(text) }
        }
        let wrong = ends.count == 2 && !wholeIsAName ? ends.first { Weekday(rawValue: $0) == nil } ?? text : text
        let nearest = Self.nearestWeekday(to: wrong)
        let corrected = nearest.map { text == wrong ? "" : ", tức là \(text.replacingOccurrences(of: wrong, with: $0.word))" } ?? ""
        let correctedEN = nearest.map { text == wrong ? "" : ", that is \(text.replacingOccurrences(of: wrong, with: $0.word))" } ?? ""
        let guessVI = nearest.map { "có phải ý bạn là '\($0.word)' (\($0.vietnameseName))\(corrected)? " } ?? ""
        let guessEN = nearest.map { "did you mean '\($0.word)'\(correctedEN)? " } ?? ""
        let choices = ScheduleChoices.weekday
        error(
            "unknown-weekday",
            vi: "'\(wrong)' không phải là ngày trong tuần; \(guessVI)hãy dùng: \(choices.vietnameseList); một khoảng như mon-sat; hoặc daily (mọi ngày)",
            en: "'\(wrong)' is not a weekday; \(guessEN)use: \(choices.words); a range such as mon-sat; or daily")
        return nil
    }

    /// The weekday a mistyped word most likely means: "t7", "Thứ Bảy", "saturday" → `sat`.
    private static func nearestWeekday(to word: String) -> Choices<Weekday>.Option? {
        let name = NearestName.suggestion(
            for: word, among: Weekday.allCases.map { ($0.rawValue, [$0.vietnameseName, $0.vietnameseShort, "\($0)"]) })
        return ScheduleChoices.weekday.options.first { $0.word == name }
    }
}
