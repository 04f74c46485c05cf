import Foundation

extension YAMLValue {
    /// A duration in seconds: `45s`, `2m30s`, `1h`, `1h15m`, or a plain number of seconds.
    func duration() -> Located<Int>? {
        guard let text = text() else { return nil }
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            error(
                "invalid-duration",
                vi: "'\(text)' không phải là thời lượng; hãy ghi số giờ h, phút m, giây s, ví dụ: 45s, 2m30s hoặc 1h",
                en: "'\(text)' is not a duration; write hours h, minutes m, seconds s, e.g. 45s, 2m30s or 1h")
            return nil
        }
        return located(seconds)
    }
}

/// Reading and writing durations as the files write them.
enum DurationText {
    /// `2m30s` → 150; a plain number is seconds; nil for anything else.
    static func seconds(_ text: String) -> Int? {
        let compact = text.lowercased().filter { !$0.isWhitespace }
        if let plain = Int(compact) { return plain }
        var total = 0, digits = "", seen: Set<Character> = []
        for character in compact {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let factor: Int
            switch character {
            case "h": factor = 3600
            case "m": factor = 60
            case "s": factor = 1
            default: return nil
            }
            guard let value = Int(digits), !seen.contains(character) else { return nil }
            seen.insert(character)
            total += value * factor
            digits = ""
        }
        return digits.isEmpty && !seen.isEmpty ? total : nil
    }

    /// 150 → `2m30s`.
    static func text(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = seconds / 60 % 60, rest = seconds % 60
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 || text.isEmpty { text += "\(rest)s" }
        return text
    }
}
