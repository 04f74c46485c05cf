extension YAMLValue {
    /// A whole number within `range`; `meaning` tells, in a number out of range, what the numbers stand for.
    func integer(in range: ClosedRange<Int>, meaning: (vi: String, en: String)? = nil) -> Located<Int>? {
        guard let text = text() else { return nil }
        let name = FieldGuide.vietnameseName(for: field) ?? key
        let bounds = range.upperBound == Int.max ? "từ \(range.lowerBound) trở lên" : "từ \(range.lowerBound) đến \(range.upperBound)"
        let boundsEn = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
        guard let number = Int(text) else {
            error(
                "invalid-number", vi: "'\(text)' không phải là một số nguyên; \(name) là một số \(bounds), ví dụ: \(key): \(range.lowerBound)",
                en: "'\(text)' is not a whole number; '\(key)' is a number \(boundsEn), e.g. \(key): \(range.lowerBound)")
            return nil
        }
        guard range.contains(number) else {
            error(
                "out-of-range", vi: "\(name) \(number) nằm ngoài giới hạn; hãy ghi một số \(bounds)\(meaning.map { " (\($0.vi))" } ?? "")",
                en: "'\(key)' \(number) is out of range; write a number \(boundsEn)\(meaning.map { " (\($0.en))" } ?? "")")
            return nil
        }
        return located(number)
    }
}
