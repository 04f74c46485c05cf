/// How a number is said in Vietnamese (the northern, standard reading used on
/// the commune loudspeakers).
///
/// - Units after a ten of twenty or more: 1 is "mốt" (hai mươi mốt), 5 is "lăm"
///   (hai mươi lăm), and so is 5 after "mười" (mười lăm); 4 stays "bốn", which no
///   listener mistakes, where speech also says "tư".
/// - A hundred without tens: "linh" (một trăm linh năm).
/// - Groups of three digits: nghìn, triệu, tỷ; beyond a thousand tỷ the tỷ repeats
///   (một nghìn tỷ). A group after a higher one reads its hundreds even when they are
///   zero: 1.050.000 is "một triệu không trăm năm mươi nghìn", 2026 is "hai nghìn
///   không trăm hai mươi sáu". Zero groups are left out (1.000.500 is "một triệu
///   năm trăm").
public enum VietnameseNumber {
    /// The digits' names, 0–9.
    public static let digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

    /// The words for a whole number, e.g. 1_250_000 → "một triệu hai trăm năm mươi nghìn".
    public static func words(_ number: UInt64) -> String {
        number == 0 ? digits[0] : words(number, fullLead: false).joined(separator: " ")
    }

    /// The words for the number a string of digits writes (leading zeros ignored), or nil
    /// when it is not only ASCII digits or too large to be a number anyone reads aloud.
    public static func words(digits text: some StringProtocol) -> String? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let significant = text.drop { $0 == "0" }
        guard significant.count <= 18, let value = UInt64(significant.isEmpty ? "0" : String(significant)) else { return nil }
        return words(value)
    }

    /// Each digit by its name, e.g. "0912" → "không chín một hai".
    public static func digitByDigit(_ text: some StringProtocol) -> String {
        text.compactMap { $0.wholeNumberValue.map { digits[$0] } }.joined(separator: " ")
    }

    private static let billion: UInt64 = 1_000_000_000

    /// `fullLead`: the number follows a higher group, so its first group says its hundreds.
    private static func words(_ number: UInt64, fullLead: Bool) -> [String] {
        if number >= billion {
            let high = number / billion, low = number % billion
            var result = words(high, fullLead: fullLead) + ["tỷ"]
            if low > 0 { result += words(low, fullLead: true) }
            return result
        }
        let groups: [(UInt64, String?)] = [(number / 1_000_000, "triệu"), (number / 1000 % 1000, "nghìn"), (number % 1000, nil)]
        var result: [String] = []
        for (value, name) in groups where value > 0 {
            result += belowThousand(Int(value), full: fullLead || !result.isEmpty)
            if let name { result.append(name) }
        }
        return result
    }

    /// 1–999; `full` says the hundreds (and "linh") even when the group is below 100.
    private static func belowThousand(_ value: Int, full: Bool) -> [String] {
        let hundreds = value / 100, tens = value / 10 % 10, units = value % 10
        var result: [String] = []
        if hundreds > 0 || full { result += [digits[hundreds], "trăm"] }
        switch tens {
        case 0:
            if units > 0 {
                if !result.isEmpty { result.append("linh") }
                result.append(digits[units])
            }
        case 1:
            result.append("mười")
            if units > 0 { result.append(units == 5 ? "lăm" : digits[units]) }
        default:
            result += [digits[tens], "mươi"]
            switch units {
            case 0: break
            case 1: result.append("mốt")
            case 5: result.append("lăm")
            default: result.append(digits[units])
            }
        }
        return result
    }
}
