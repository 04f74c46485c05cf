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
    /// The names people and slots are shown by.
    let names: ConsoleNames

    var user: ConsoleUser? { signedIn?.user }
    var csrfToken: String { signedIn?.session.csrfToken ?? "" }

    /// A phrase in the page's language.
    func callAsFunction(_ phrase: Phrase) -> String { language(phrase) }
    func callAsFunction(_ text: LocalizedText) -> String { language(text) }

    /// The hidden CSRF field every console form carries.
    var csrfField: HTML { "<input type=\"hidden\" name=\"\(WebSessionAccess.csrfField)\" value=\"\(csrfToken)\">" }

    /// An instant on the site's wall clock: `17:30:05 24/11/2026`.
    func time(_ instant: Date?) -> String { controller.shownTime(instant) }

    /// A local date as the page's language writes it.
    func date(_ date: LocalDate) -> String { language == .vi ? date.vietnameseDescription : date.description }

    /// The site's hamlets' names by id.
    var hamletNames: [String: String] {
        Dictionary(controller.configuration.site.hamlets.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A bilingual text from elsewhere ("Vietnamese — English" or "Vietnamese (English)",
    /// as reports and receivers' reasons are written) in the page's language; other text as it is.
    func inLanguage(_ text: String) -> String { language.inLanguage(text) }

    /// A device as people call it: the controller by its role, a receiver by its id.
    func device(_ id: String) -> String { id == DeviceEvent.controllerDevice ? self(.controllerDevice) : id }

    /// A console user as people know them: their display name (their login name if unknown).
    func person(_ name: String) -> String { names.people[name] ?? name }

    /// Several console users by their display names.
    func people(_ names: [String]) -> String { names.map(person).joined(separator: ", ") }

    /// A broadcast slot by its name (`Buổi sáng`), not its id.
    func slot(_ id: String) -> String { names.slots[id] ?? id }

    /// A number with `digits` decimals as the page's language writes it: 15,5 in
    /// Vietnamese, 15.5 in English.
    func decimal(_ value: Double, digits: Int = 1) -> String {
        let text = String(format: "%.\(digits)f", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A length of time in words: `24 giây`, `15 phút`, `2 phút 30 giây` (`24 s`, `15 min`, `2 min 30 s`).
    func duration(seconds: Int) -> String {
        let (minutes, rest) = seconds.quotientAndRemainder(dividingBy: 60)
        let (min, sec) = language == .vi ? ("phút", "giây") : ("min", "s")
        switch (minutes, rest) {
        case (0, _): return "\(rest) \(sec)"
        case (_, 0): return "\(minutes) \(min)"
        default: return "\(minutes) \(min) \(rest) \(sec)"
        }
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
        case DeviceEvent.Kind.cancelled.rawValue: .stateCancelled
        case DeviceEvent.Kind.interrupted.rawValue: .stateInterrupted
        case DeviceEvent.Kind.resumed.rawValue: .stateResumed
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

    /// TEST or LIVE on anything of the emergency category: a test is said aloud to be
    /// one and interrupts nothing; a live one interrupts everything.
    func emergencyBadge(category: LoaDomain.Category?, priority: PriorityClass) -> HTML {
        if priority == .emergency { return "<span class=\"badge bad\">\(self(.emergencyLive))</span>" }
        if category == .emergency { return "<span class=\"badge warn\">\(self(.emergencyTest))</span>" }
        return ""
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
            "\(self(.inSlots).lowercased()) \(slots.isEmpty ? self(.everySlot) : slots.map(slot).joined(separator: ", "))"
                + (perDay.map { " · \($0) \(self(.timesADay))" } ?? "")
        }
        return "\(days) · \(times)"
    }
}

/// The names the console shows instead of ids: people's display names by login
/// name, and the active schedule's slot names by id. Read once per page.
struct ConsoleNames: Sendable {
    var people: [String: String] = [:]
    var slots: [String: String] = [:]

    /// The names as the store holds them now.
    static func load(from controller: Controller) async throws -> ConsoleNames {
        let people = try await controller.store.users().map { ($0.name, $0.displayName) }
        let slots = try await controller.store.activeSchedule()?.schedule.site.slots.map { ($0.id, $0.name) } ?? []
        return ConsoleNames(
            people: Dictionary(people, uniquingKeysWith: { first, _ in first }),
            slots: Dictionary(slots, uniquingKeysWith: { first, _ in first }))
    }
}

extension BroadcastSchedule {
    /// The broadcast an occurrence belongs to (the live view's `item`): its item id
    /// without the trailing `@hamlet`, the same in every hamlet it airs in.
    func broadcastKey(of occurrence: Occurrence) -> String {
        String(occurrenceID(occurrence).dropLast(hamlets[occurrence.hamlet].id.count + 1))
    }

    /// The title of programme or notice `id`; nil when it has neither.
    func title(of id: String) -> String? {
        programmes.first { $0.id == id }?.title ?? notices.first { $0.id == id }?.title
    }
}

extension Recurrence {
    /// True when it airs on no day after `today`: a one-off of today or before, or a
    /// recurrence whose last day is today or before.
    func hasEnded(by today: LocalDate) -> Bool {
        if case .once(let day) = days { return day <= today }
        return until.map { $0 <= today } ?? false
    }
}

extension Controller {
    /// An instant on the site's wall clock as the console shows it: `17:30:05 24/11/2026`; `–` for none.
    func shownTime(_ instant: Date?) -> String {
        guard let instant else { return "–" }
        let local = configuration.wallClock.local(instant)
        return "\(local.time) \(local.date.vietnameseDescription)"
    }
}
