import Foundation

/// Turns a notice's text into the words a reader says aloud, so that a speech
/// engine reads numbers, dates, times, money and abbreviations as a person would:
/// "Nộp 1.250.000đ trước 17h30 ngày 25/12/2026" becomes "Nộp một triệu hai trăm
/// năm mươi nghìn đồng trước mười bảy giờ ba mươi phút ngày hai mươi lăm tháng
/// mười hai năm hai nghìn không trăm hai mươi sáu".
///
/// Pure: no engine, no I/O. The rules apply in this order (docs/speech.md):
/// phone numbers (digit by digit), dates, times, percentages, money, units,
/// ordinals after "thứ", ranges, numbers, abbreviations (``NoticeAbbreviations``),
/// then "/" before a unit ("đồng/người" → "đồng một người") and "&" → "và".
/// Text the rules do not recognise is left as written.
public enum VietnameseReading {
    /// The words to read aloud for `text` (NFC, whitespace collapsed).
    public static func spoken(_ text: String) -> String {
        var result = text.precomposedStringWithCanonicalMapping
        for rule in ReadingRule.all {
            result = rule.apply(to: result)
        }
        result = perUnit(result).replacingOccurrences(of: "&", with: " và ")
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Units a "/" divides by, read "một": "50.000 đồng/người" → "… đồng một người".
    static let perUnitWords = ["người", "hộ", "khẩu", "tháng", "năm", "ngày", "tuần", "giờ", "buổi", "suất", "lượt", "con", "sào", "lít", "mét", "ki lô", "héc ta"]

    /// "đồng/người" → "đồng một người", for the units in ``perUnitWords`` after a word.
    private static func perUnit(_ text: String) -> String {
        guard text.contains("/"), let regex = try? Regex("(\\p{L})/(?=(?:\(perUnitWords.joined(separator: "|")))(?![\\p{L}\\p{N}]))") else {
            return text
        }
        return text.replacing(regex) { match in
            "\(match.output[1].substring ?? "") một "
        }
    }

    /// A number as written in a notice: "1.250.000" (dots group thousands), "2,5"
    /// (comma before decimals), "12.5" (a dot that does not group: "chấm").
    ///
    /// Decimals of one or two digits not starting with 0 are read as a number
    /// ("2,75" → "hai phẩy bảy mươi lăm"), others digit by digit ("2,05" → "hai phẩy
    /// không năm").
    static func number(_ written: Substring) -> String {
        let isGrouped = written.contains(".") && Self.isThousandsGrouping(written.split(separator: ",", maxSplits: 1)[0])
        let parts: [Substring]
        let separator: String
        if written.contains(",") {
            parts = written.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            separator = "phẩy"
        } else if written.contains("."), !isGrouped {
            parts = written.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            separator = "chấm"
        } else {
            parts = [written]
            separator = ""
        }
        let whole = parts[0].filter { $0 != "." }
        guard let wholeWords = VietnameseNumber.words(digits: whole) else { return String(written) }
        guard parts.count == 2 else { return wholeWords }
        let fraction = parts[1]
        let fractionWords = fraction.count <= 2 && !fraction.hasPrefix("0")
            ? VietnameseNumber.words(digits: fraction) ?? VietnameseNumber.digitByDigit(fraction)
            : VietnameseNumber.digitByDigit(fraction)
        return "\(wholeWords) \(separator) \(fractionWords)"
    }

    /// "1.250.000": one to three digits, then groups of exactly three after each dot.
    private static func isThousandsGrouping(_ text: Substring) -> Bool {
        let groups = text.split(separator: ".", omittingEmptySubsequences: false)
        return groups.count > 1 && (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// A month's name: "tháng tư" for April, as everyone says it.
    static func month(_ value: Int) -> String {
        value == 4 ? "tư" : VietnameseNumber.words(UInt64(value))
    }

    /// "17" "30" → "mười bảy giờ ba mươi phút"; zero minutes are not said.
    static func time(hour: Int, minute: Int, second: Int = 0) -> String {
        var words = "\(VietnameseNumber.words(UInt64(hour))) giờ"
        if minute > 0 || second > 0 { words += " \(VietnameseNumber.words(UInt64(minute))) phút" }
        if second > 0 { words += " \(VietnameseNumber.words(UInt64(second))) giây" }
        return words
    }
}
