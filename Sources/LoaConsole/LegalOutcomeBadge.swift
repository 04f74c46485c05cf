import LoaDomain

/// A legal check's outcome as a coloured badge in the page's language.
enum LegalOutcomeBadge {
    static func html(_ outcome: LegalCheck.Outcome, _ context: ConsoleContext) -> HTML {
        switch outcome {
        case .passed: "<span class=\"badge ok\">✓ \(context(.checkPassed))</span>"
        case .failed: "<span class=\"badge bad\">✗ \(context(.checkFailed))</span>"
        case .notCovered: "<span class=\"badge warn\">? \(context(.checkNotCovered))</span>"
        }
    }
}
