import Foundation

/// Finds the allowed name closest to a mistyped one ("catgory" → "category",
/// "tuyen-truyen" → "propaganda" through its Vietnamese name "Tuyên truyền").
enum NearestName {
    /// The candidate whose spelling (or one of its aliases) is nearest to `typed`, when near enough
    /// to be a likely typo: at most 2 edits, or a third of the length for long names.
    static func suggestion(for typed: String, among candidates: [(name: String, aliases: [String])]) -> String? {
        let wanted = folded(typed)
        guard !wanted.isEmpty else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            for spelling in [candidate.name] + candidate.aliases {
                let form = folded(spelling)
                let allowed = max(2, form.count / 3)
                // Two lengths further apart than that are never near (a 1 MB value costs nothing).
                guard abs(wanted.count - form.count) <= allowed else { continue }
                let distance = editDistance(Array(wanted), Array(form))
                if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate.name, distance) }
            }
        }
        return best?.name
    }

    /// The nearest of plain names.
    static func suggestion(for typed: String, among names: [String]) -> String? {
        suggestion(for: typed, among: names.map { ($0, []) })
    }

    /// Lowercase ASCII without diacritics, `_` and spaces as `-`: "Tuyên truyền" → "tuyen-truyen".
    static func folded(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "đ", with: "d")
        let bare = lowered.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            !(0x0300...0x036F).contains($0.value)
        }
        return String(String.UnicodeScalarView(bare)).map { $0 == "_" || $0 == " " ? "-" : $0 }.reduce(into: "") {
            $0.append($1)
        }
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
