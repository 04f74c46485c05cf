import Foundation

/// One rule of ``VietnameseReading``: a pattern and what to say for a match.
///
/// Swift's regular expressions have no lookbehind, so every pattern starts with
/// ``start`` (the start of the text or a character that is neither a letter nor a
/// digit), captured as group 1 and written back unchanged; its own groups follow.
struct ReadingRule: Sendable {
    /// The pattern after ``start``; its groups are numbered from 2.
    let pattern: String
    /// What to say for a match, from its groups (index 0 is group 2); nil leaves it as written.
    let read: @Sendable ([Substring?]) -> String?

    /// The start of the text, or a character that is neither a letter nor a digit.
    static let start = "(^|[^\\p{L}\\p{N}])"
    /// Not followed by a letter or a digit.
    static let end = "(?![\\p{L}\\p{N}])"
    /// A number as written: thousands grouped by dots, or digits with one decimal mark.
    static let number = "\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d+(?:[.,]\\d+)?"

    func apply(to text: String) -> String {
        guard let regex = try? Regex(Self.start + pattern) else {
            assertionFailure("reading rule pattern does not compile: \(pattern)")
            return text
        }
        return text.replacing(regex) { match in
            let groups = (2..<match.output.count).map { match.output[$0].substring }
            let lead = match.output[1].substring ?? ""
            guard let words = read(groups) else { return String(text[match.range]) }
            return "\(lead)\(words)"
        }
    }

    /// The rules in the order they apply.
    static let all: [ReadingRule] = [
        phoneNumber, fullDate, monthAndYear, dayAndMonth, hourMark, clockTime, hourWordMinutes,
        percentage, money, measure, ordinal, range, plainNumber, abbreviation,
    ]

    private static func int(_ text: Substring?) -> Int? { text.flatMap { Int($0) } }

    /// "0912 345 678", "0912.345.678", "024 3825 1234", "+84 912 345 678": 10 or 11
    /// digits from the leading 0, read digit by digit, with a pause between groups.
    static let phoneNumber = ReadingRule(pattern: "(\\+84\\s?|0)(\\d{2,4}(?:[ .-]?\\d{2,4}){1,4})" + end) { groups in
        guard let prefix = groups[0], let rest = groups[1] else { return nil }
        let international = prefix.hasPrefix("+84")
        let wanted = international ? 9...10 : 10...11
        // The pattern may run on into a number after the phone number: take groups up to its length.
        var typed: [String] = []
        var count = international ? 0 : 1
        var remaining = rest.split { !$0.isNumber }.map(String.init)[...]
        while count < wanted.lowerBound, let next = remaining.popFirst() {
            typed.append(next)
            count += next.count
        }
        guard wanted.contains(count) else { return nil }
        if typed.count == 1 { typed = phoneGroups(typed[0], international: international) }
        if !international { typed[0] = "0" + typed[0] }
        let spoken = typed.map { VietnameseNumber.digitByDigit($0) }.joined(separator: ", ")
        let after = remaining.isEmpty ? "" : " " + remaining.joined(separator: " ")
        return (international ? "cộng tám tư, \(spoken)" : spoken) + after
    }

    /// A phone number typed without spaces, split as people say it: 0912 345 678, 024 3825 1234.
    private static func phoneGroups(_ digits: String, international: Bool) -> [String] {
        let sizes = international ? [2, 3, 4] : (digits.count == 9 ? [3, 3, 3] : [2, 4, 4])
        var groups: [String] = []
        var index = digits.startIndex
        for size in sizes where index < digits.endIndex {
            let next = digits.index(index, offsetBy: size, limitedBy: digits.endIndex) ?? digits.endIndex
            groups.append(String(digits[index..<next]))
            index = next
        }
        if index < digits.endIndex { groups[groups.count - 1] += digits[index...] }
        return groups
    }

    /// "25/12/2026", "25-12-2026", "25.12.2026", "ngày 25/12/2026".
    static let fullDate = ReadingRule(pattern: "([Nn]gày\\s+)?(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})" + end) { groups in
        guard let day = int(groups[1]), let month = int(groups[2]), let year = int(groups[3]),
              (1...31).contains(day), (1...12).contains(month) else { return nil }
        let lead = groups[0].map(String.init) ?? "ngày "
        return "\(lead)\(VietnameseNumber.words(UInt64(day))) tháng \(VietnameseReading.month(month)) năm \(VietnameseNumber.words(UInt64(year)))"
    }

    /// "12/2026", "tháng 12/2026".
    static let monthAndYear = ReadingRule(pattern: "([Tt]háng\\s+)?(\\d{1,2})/(\\d{4})" + end) { groups in
        guard let month = int(groups[1]), let year = int(groups[2]), (1...12).contains(month) else { return nil }
        let lead = groups[0].map(String.init) ?? "tháng "
        return "\(lead)\(VietnameseReading.month(month)) năm \(VietnameseNumber.words(UInt64(year)))"
    }

    /// "25/12", "ngày 25/12" (day and month; a fraction is better written in words).
    static let dayAndMonth = ReadingRule(pattern: "([Nn]gày\\s+)?(\\d{1,2})/(\\d{1,2})(?![\\p{L}\\p{N}/])") { groups in
        guard let day = int(groups[1]), let month = int(groups[2]), (1...31).contains(day), (1...12).contains(month) else {
            return nil
        }
        let lead = groups[0].map(String.init) ?? "ngày "
        return "\(lead)\(VietnameseNumber.words(UInt64(day))) tháng \(VietnameseReading.month(month))"
    }

    /// "17h30", "17h", "17 h", "7h05'".
    static let hourMark = ReadingRule(pattern: "(\\d{1,2})\\s?[hH](\\d{2})?'?" + end) { groups in
        guard let hour = int(groups[0]), hour <= 24 else { return nil }
        let minute = int(groups[1]) ?? 0
        guard minute < 60 else { return nil }
        return VietnameseReading.time(hour: hour, minute: minute)
    }

    /// "17:30", "07:05:30".
    static let clockTime = ReadingRule(pattern: "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?" + end) { groups in
        guard let hour = int(groups[0]), let minute = int(groups[1]), hour <= 24, minute < 60 else { return nil }
        let second = int(groups[2]) ?? 0
        guard second < 60 else { return nil }
        return VietnameseReading.time(hour: hour, minute: minute, second: second)
    }

    /// "7 giờ 30" (without "phút" after it) → "bảy giờ ba mươi phút".
    static let hourWordMinutes = ReadingRule(pattern: "(\\d{1,2})\\s+giờ\\s+(\\d{1,2})" + end + "(?!\\s*phút)") { groups in
        guard let hour = int(groups[0]), let minute = int(groups[1]), hour <= 24, minute < 60 else { return nil }
        return VietnameseReading.time(hour: hour, minute: minute)
    }

    /// "15%", "2,5 %".
    static let percentage = ReadingRule(pattern: "(\(number))\\s?%") { groups in
        groups[0].map { "\(VietnameseReading.number($0)) phần trăm" }
    }

    /// "1.250.000 đồng", "500.000đ", "2.000.000 VNĐ".
    static let money = ReadingRule(pattern: "(\(number))\\s?(?:đồng|đ|VNĐ|VND|vnđ|vnd)" + end) { groups in
        groups[0].map { "\(VietnameseReading.number($0)) đồng" }
    }

    /// "5 km", "300m2", "2 ha" (``NoticeAbbreviations/units``).
    static let measure: ReadingRule = {
        let units = NoticeAbbreviations.units.keys.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:))
        return ReadingRule(pattern: "(\(number))\\s?(\(units.joined(separator: "|")))" + end) { groups in
            guard let value = groups[0], let unit = groups[1], let words = NoticeAbbreviations.units[String(unit)] else { return nil }
            return "\(VietnameseReading.number(value)) \(words)"
        }
    }()

    /// "thứ 2" → "thứ hai", "thứ 4" → "thứ tư", "lần thứ 1" → "lần thứ nhất".
    static let ordinal = ReadingRule(pattern: "([Tt]hứ)\\s+(\\d{1,2})" + end) { groups in
        guard let word = groups[0], let value = int(groups[1]) else { return nil }
        let spoken = switch value {
        case 1: "nhất"
        case 4: "tư"
        default: VietnameseNumber.words(UInt64(value))
        }
        return "\(word) \(spoken)"
    }

    /// "5-7 ngày", "2021–2025" → "năm đến bảy ngày".
    static let range = ReadingRule(pattern: "(\(number))\\s?[-–]\\s?(\(number))" + end) { groups in
        guard let low = groups[0], let high = groups[1] else { return nil }
        return "\(VietnameseReading.number(low)) đến \(VietnameseReading.number(high))"
    }

    /// Any other number.
    static let plainNumber = ReadingRule(pattern: "(\(number))" + end) { groups in
        groups[0].map { VietnameseReading.number($0) }
    }

    /// Whole words of ``NoticeAbbreviations/table``, case-sensitive.
    static let abbreviation: ReadingRule = {
        let keys = NoticeAbbreviations.table.keys.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:))
        return ReadingRule(pattern: "(\(keys.joined(separator: "|")))" + end) { groups in
            groups[0].flatMap { NoticeAbbreviations.table[String($0)] }
        }
    }()
}
