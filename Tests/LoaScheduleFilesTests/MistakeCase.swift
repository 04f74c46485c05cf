import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

/// One mistake an officer might make, and the diagnostic it must give: its kind, where it
/// points, the field it names, and the words that say what would be right.
struct Mistake: Sendable, CustomTestStringConvertible {
    var name: String
    var site: String = Fixture.site
    var programmes: String?
    var kind: String
    var severity: ScheduleDiagnostic.Severity = .error
    var file = "p.yaml"
    var line: Int
    var column: Int
    var field: String
    /// Vietnamese words of the advice (what would be right).
    var advice: [String]

    var testDescription: String { name }

    /// The fixture's programme with `old` replaced by `new` (first occurrence).
    static func programme(_ old: String, _ new: String) -> String {
        precondition(Fixture.programme.contains(old), "the fixture has no '\(old)'")
        guard let range = Fixture.programme.range(of: old) else { return Fixture.programme }
        return Fixture.programme.replacingCharacters(in: range, with: new)
    }

    /// The fixture's programme with lines added at its end (from line 8, indented as its fields).
    static func programme(adding lines: String...) -> String {
        Fixture.programme + lines.map { "\n    \($0)" }.joined()
    }

    /// The fixture's site with `old` replaced by `new`.
    static func site(_ old: String, _ new: String) -> String {
        precondition(Fixture.site.contains(old), "the fixture's site has no '\(old)'")
        guard let range = Fixture.site.range(of: old) else { return Fixture.site }
        return Fixture.site.replacingCharacters(in: range, with: new)
    }

    /// Loads the case and checks the one diagnostic of its kind.
    func check() throws {
        let result = Fixture.load(site: site, programmes: programmes)
        let found = try Fixture.only(kind, in: result)
        #expect(found.severity == severity)
        #expect(found.file == file)
        #expect(found.line == line, "line: \(found.rendered)")
        #expect(found.column == column, "column: \(found.rendered)")
        #expect(found.field == field)
        for words in advice {
            #expect(found.message.vi.contains(words), "'\(words)' missing from: \(found.message.vi)")
        }
        #expect(!found.message.en.isEmpty)
        if severity == .error {
            #expect(result.hasErrors && result.schedule == nil)
        } else {
            #expect(!result.hasErrors && result.schedule != nil, "\(result.diagnostics.map(\.rendered))")
        }
    }
}
