import LoaDomain

/// The allowed words of a field (category, priority, repeat …), each with its Vietnamese
/// name; an unknown word is reported with the nearest allowed one and the whole list.
struct Choices<Value: Sendable>: Sendable {
    struct Option: Sendable {
        let word: String
        let vietnameseName: String
        let value: Value
    }

    /// The diagnostic kind for an unknown word, e.g. `unknown-category`.
    let kind: String
    /// What the field is, e.g. ("loại nội dung", "category").
    let noun: (vi: String, en: String)
    let options: [Option]

    /// `propaganda (Tuyên truyền), dialogue (…)`.
    var vietnameseList: String { options.map { "\($0.word) (\($0.vietnameseName))" }.joined(separator: ", ") }
    /// `propaganda, dialogue, …`.
    var words: String { options.map(\.word).joined(separator: ", ") }

    func value(for word: String) -> Value? { options.first { $0.word == word }?.value }

    /// The option nearest to a mistyped word, by spelling or by its Vietnamese name.
    func nearest(to word: String) -> Option? {
        let name = NearestName.suggestion(for: word, among: options.map { ($0.word, [$0.vietnameseName]) })
        return options.first { $0.word == name }
    }
}

extension Choices where Value: RawRepresentable<String> & CaseIterable {
    init(kind: String, noun: (vi: String, en: String), vietnameseName: (Value) -> String) {
        self.init(
            kind: kind, noun: noun,
            options: Value.allCases.map { Option(word: $0.rawValue, vietnameseName: vietnameseName($0), value: $0) })
    }
}

extension YAMLValue {
    /// One of `choices`' words.
    func choice<Value>(_ choices: Choices<Value>) -> Located<Value>? {
        guard let word = text() else { return nil }
        if let value = choices.value(for: word) { return located(value) }
        reportUnknown(word, of: choices)
        return nil
    }

    /// Reports `word` as not one of `choices`, suggesting the nearest.
    func reportUnknown<Value>(_ word: String, of choices: Choices<Value>) {
        let nearest = choices.nearest(to: word)
        let guessVI = nearest.map { "có phải ý bạn là '\($0.word)' (\($0.vietnameseName))? " } ?? ""
        let guessEN = nearest.map { "did you mean '\($0.word)'? " } ?? ""
        error(
            choices.kind,
            vi: "'\(word)' không phải là \(choices.noun.vi); \(guessVI)hãy dùng một trong: \(choices.vietnameseList)",
            en: "'\(word)' is not a \(choices.noun.en); \(guessEN)use one of: \(choices.words)")
    }
}

/// The choices of the schedule format.
enum ScheduleChoices {
    static let category = Choices<Category>(kind: "unknown-category", noun: ("loại nội dung", "category")) {
        $0.vietnameseName
    }
    static let priority = Choices<PriorityClass>(kind: "unknown-priority", noun: ("mức ưu tiên", "priority")) {
        $0.vietnameseName
    }
    static let meetingKind = Choices<MeetingKind>(kind: "unknown-meeting-kind", noun: ("loại cuộc họp", "meeting kind")) {
        $0.vietnameseName
    }
    static let repeatKind = Choices<RepeatKind>(kind: "unknown-repeat", noun: ("cách lặp lại", "repeat")) {
        $0.vietnameseName
    }
    static let weekday = Choices<Weekday>(kind: "unknown-weekday", noun: ("ngày trong tuần", "weekday")) {
        $0.vietnameseName
    }
}

/// How a programme's days repeat, as the `repeat:` field names it.
enum RepeatKind: String, CaseIterable {
    case once, daily, weekly, monthly

    var vietnameseName: String {
        switch self {
        case .once: "một lần"
        case .daily: "hằng ngày"
        case .weekly: "hằng tuần"
        case .monthly: "hằng tháng"
        }
    }
}
