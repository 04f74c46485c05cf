import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore

/// What every page is rendered with: the controller, who asks, in which language.
struct ConsoleContext: Sendable {
    let controller: Controller
    let language: ConsoleLanguage
    /// The signed-in user and session; nil on the login and public pages.
    let signedIn: (user: ConsoleUser, session: ConsoleSession)?
    /// The request's path with its query, for the language switch and refreshes.
    let path: String

    var user: ConsoleUser? { signedIn?.user }
    var csrfToken: String { signedIn?.session.csrfToken ?? "" }

    /// A phrase in the page's language.
    func callAsFunction(_ phrase: Phrase) -> String { language(phrase) }
    func callAsFunction(_ text: LocalizedText) -> String { language(text) }

    /// The hidden CSRF field every console form carries.
    var csrfField: HTML { "<input type=\"hidden\" name=\"\(WebSessionAccess.csrfField)\" value=\"\(csrfToken)\">" }

    /// An instant on the site's wall clock: `17:30:05 24/11/2026`.
    func time(_ instant: Date?) -> String {
        guard let instant else { return "–" }
        let local = controller.configuration.wallClock.local(instant)
        return "\(local.time) \(local.date.vietnameseDescription)"
    }

    /// A local date as the page's language writes it.
    func date(_ date: LocalDate) -> String { language == .vi ? date.vietnameseDescription : date.description }

    /// The site's hamlets' names by id.
    var hamletNames: [String: String] {
        Dictionary(controller.configuration.site.hamlets.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A number with `digits` decimals as the page's language writes it: 15,5 in
    /// Vietnamese, 15.5 in English.
    func decimal(_ value: Double, digits: Int = 1) -> String {
        let text = String(format: "%.\(digits)f", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A log entry kind (`LogQuery.knownKinds`) in the page's language.
    func name(logKind kind: String) -> String {
        let phrase: Phrase? = switch kind {
        case "announcement": .logAnnouncement
        case "schedule-applied": .logScheduleApplied
        case "approval": .logApproval
        case DeviceEvent.Kind.received.rawValue: .stateReceived
        case DeviceEvent.Kind.ready.rawValue: .stateReady
        case DeviceEvent.Kind.started.rawValue: .stateStarted
        case DeviceEvent.Kind.finished.rawValue: .stateFinished
        case DeviceEvent.Kind.failed.rawValue: .stateFailed
        case DeviceEvent.Kind.missed.rawValue: .stateMissed
        case DeviceEvent.Kind.preempted.rawValue: .statePreempted
        case DeviceEvent.Kind.displayed.rawValue: .logDisplayed
        case DeviceEvent.Kind.stillDisplayed.rawValue: .logStillDisplayed
        case DeviceEvent.Kind.takenDown.rawValue: .logTakenDown
        default: nil
        }
        return phrase.map { self($0) } ?? kind
    }

    /// A category's name in the page's language.
    func name(_ category: LoaDomain.Category) -> String {
        language == .vi ? category.vietnameseName : category.rawValue
    }

    /// A priority class's name in the page's language.
    func name(_ priority: PriorityClass) -> String {
        language == .vi ? priority.vietnameseName : priority.rawValue
    }

    /// A weekday's name in the page's language.
    func name(_ weekday: Weekday) -> String {
        language == .vi ? weekday.vietnameseName : weekday.rawValue.capitalized
    }

    /// When a recurrence airs, in words.
    func describe(_ recurrence: Recurrence) -> String {
        var days: String = switch recurrence.days {
        case .once(let day): date(day)
        case .daily: self(.daily)
        case .weekly(let weekdays): weekdays.sorted().map(name).joined(separator: ", ")
        case .monthly(let day): language == .vi ? "ngày \(day) hằng tháng" : "day \(day) of each month"
        }
        if let from = recurrence.from { days += " · \(self(.from).lowercased()) \(date(from))" }
        if let until = recurrence.until { days += " · \(self(.until).lowercased()) \(date(until))" }
        let times: String = switch recurrence.times {
        case .at(let times): times.map(\.description).joined(separator: ", ")
        case .inSlots(let slots, let perDay):
            "\(self(.inSlots).lowercased()) \(slots.isEmpty ? "*" : slots.joined(separator: ", "))"
                + (perDay.map { " × \($0)" } ?? "")
        }
        return "\(days) · \(times)"
    }
}
