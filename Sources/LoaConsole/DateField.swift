import Foundation
import LoaDomain

/// A date field as officers write dates: dd/mm/yyyy in a text field. (A browser's
/// own date field follows the browser's language, so 5 December reads 12/05/2026 in
/// a browser set to English.) ISO dates (`2026-12-05`, as links carry them) are read too.
enum DateField {
    /// The date in `text`, day first or ISO; nil for anything else.
    static func parse(_ text: String) -> LocalDate? {
        LocalDate(dayMonthYear: text) ?? LocalDate(iso: text.trimmingCharacters(in: .whitespaces))
    }

    /// `text` as the field shows it: a date day first, anything unreadable as typed.
    static func shown(_ text: String) -> String { parse(text)?.vietnameseDescription ?? text }

    /// The input: a text field with a dd/mm/yyyy hint and pattern, numeric keypad on phones.
    static func input(id: String, name: String? = nil, value: String, required: Bool = false) -> HTML {
        """
        <input type="text" class="date-field" id="\(id)" name="\(name ?? id)" value="\(shown(value))" inputmode="numeric" \
        placeholder="dd/mm/yyyy" pattern="\\d{1,2}[/.\\-]\\d{1,2}[/.\\-]\\d{4}|\\d{4}-\\d{2}-\\d{2}" autocomplete="off"\(required ? HTML(" required") : HTML(""))>
        """
    }
}
