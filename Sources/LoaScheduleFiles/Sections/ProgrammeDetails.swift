import LoaDomain

/// Reads a programme's `targets:`, `disclosure:` and `meeting:`.
enum ProgrammeDetails {
    /// `all`, `{hamlets: [...]}` or `{groups: [...]}`; the references keep their positions.
    static func targets(_ value: YAMLValue) -> (targets: Targets, hamlets: [Located<String>], groups: [Located<String>])? {
        let advice = (
            vi: "hãy ghi targets: all (mọi thôn), targets: {hamlets: [thon-dong, thon-doai]} hoặc targets: {groups: [ven-song]}",
            en: "write targets: all, targets: {hamlets: [thon-dong, thon-doai]} or targets: {groups: [ven-song]}")
        switch value.shapeKind {
        case .scalar:
            guard let word = value.text() else { return nil }
            if word == "all" { return (.all, [], []) }
            value.error(
                "invalid-targets", vi: "'\(word)' không phải là nơi phát; \(advice.vi)",
                en: "'\(word)' is not a target; \(advice.en)")
            return nil
        case .mapping:
            guard let fields = MappingReader(value) else { return nil }
            switch (fields.optional("hamlets"), fields.optional("groups")) {
            case (let hamlets?, nil):
                let ids = hamlets.identifiers(nonEmpty: true) ?? []
                return (.hamlets(ids.map(\.value)), ids, [])
            case (nil, let groups?):
                let ids = groups.identifiers(nonEmpty: true) ?? []
                return (.groups(ids.map(\.value)), [], ids)
            default:
                value.error(
                    "invalid-targets", vi: "targets cần đúng một trong hai: hamlets hoặc groups; \(advice.vi)",
                    en: "targets needs exactly one of hamlets or groups; \(advice.en)")
                return nil
            }
        default:
            value.error(
                "invalid-targets", vi: "targets không thể là \(value.shape.vi); \(advice.vi)",
                en: "targets cannot be \(value.shape.en); \(advice.en)")
            return nil
        }
    }

    /// `{item: 7, decision-date: 2026-11-23}`.
    static func disclosure(_ value: YAMLValue) -> Located<Disclosure>? {
        guard let fields = MappingReader(value) else { return nil }
        let item = fields.required("item")?.integer(
            in: 1...14,
            meaning: (
                "Điều 11 Luật Thực hiện dân chủ ở cơ sở có 14 mục, ví dụ 2 là ngân sách, 7 là chính sách an sinh xã hội, 14 là nội dung khác",
                "Art. 11 of the Law on grassroots democracy has 14 items, e.g. 2 budget, 7 social support, 14 others"))
        let decided = fields.required("decision-date")?.date()
        guard let item, let decided else { return nil }
        return value.located(Disclosure(item: item.value, decisionDate: decided.value))
    }

    /// `{date: 2026-12-13, kind: dialogue-conference}`.
    static func meeting(_ value: YAMLValue) -> Located<MeetingNotice>? {
        guard let fields = MappingReader(value) else { return nil }
        let date = fields.required("date")?.date()
        let kind = fields.required("kind")?.choice(ScheduleChoices.meetingKind)
        guard let date, let kind else { return nil }
        return value.located(MeetingNotice(date: date.value, kind: kind.value))
    }
}
