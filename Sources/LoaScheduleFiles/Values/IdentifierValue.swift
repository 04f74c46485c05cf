import Foundation
import LoaDomain

extension YAMLValue {
    /// An id (`thon-dong`): checked with `Identifier.problem(with:)`; a bad id is reported with an
    /// ASCII form to use instead, and still returned so that references to it do not cascade.
    func identifier() -> Located<String>? {
        guard let text = text() else { return nil }
        if let problem = Identifier.problem(with: text) {
            let suggestion = IdentifierSuggestion.make(from: text, fallback: FieldGuide.example(for: field) ?? "thon-1")
            error(
                "invalid-id",
                vi: "'\(text)' không dùng được làm mã: mã chỉ gồm chữ thường không dấu a–z, chữ số, '-' hoặc '_', bắt đầu bằng chữ hoặc số, dài tối đa 64 ký tự (tên có dấu ghi ở trường name); hãy dùng, ví dụ: \(suggestion)",
                en: "'\(text)' is not a valid id: \(problem); use e.g. \(suggestion) (the name with diacritics goes in 'name')")
        }
        return located(text)
    }

    /// A list of ids, each located.
    func identifiers(nonEmpty: Bool = false) -> [Located<String>]? {
        guard let items = nonEmpty ? nonEmptyList() : list() else { return nil }
        return items.compactMap { $0.identifier() }
    }
}

/// Makes a valid id out of what an officer typed: "Thôn Đông" → `thon-dong`.
enum IdentifierSuggestion {
    static func make(from text: String, fallback: String) -> String {
        let folded = NearestName.folded(text)
        var result = ""
        for scalar in folded.unicodeScalars {
            let ok = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
            if ok {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while result.hasPrefix("_") { result.removeFirst() }
        let trimmed = String(result.prefix(64))
        return Identifier.isValid(trimmed) ? trimmed : fallback
    }
}
