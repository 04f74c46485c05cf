import LoaDomain

/// Reads one item of `programmes:` into a located draft.
struct ProgrammeSection {
    let content: ProgrammeContentReader

    /// The draft, with its hamlet and group references located for the reference checks.
    func read(_ item: YAMLValue) -> (draft: ProgrammeDraft, hamlets: [Located<String>], groups: [Located<String>])? {
        guard let fields = MappingReader(item) else { return nil }
        let start = item.located(())
        var draft = ProgrammeDraft(
            field: item.field, position: item.position,
            priority: Located(value: .normal, position: start.position, field: item.field + ".priority"),
            targets: Located(value: .all, position: start.position, field: item.field + ".targets"),
            timing: TimingDraft())
        draft.id = fields.required("id")?.identifier()
        draft.title = fields.required("title")?.text(atMost: TextLimits.title)
        draft.category = fields.required("category")?.choice(ScheduleChoices.category)
        if let priority = fields.optional("priority")?.choice(ScheduleChoices.priority) { draft.priority = priority }
        content.read(fields, into: &draft)
        var references: (hamlets: [Located<String>], groups: [Located<String>]) = ([], [])
        if let targets = fields.optional("targets"), let read = ProgrammeDetails.targets(targets) {
            draft.targets = targets.located(read.targets)
            references = (read.hamlets, read.groups)
        }
        draft.timing = ProgrammeTiming.read(fields)
        draft.volume = fields.optional("volume")?.integer(in: 1...10)?.value
        draft.disclosure = fields.optional("disclosure").flatMap(ProgrammeDetails.disclosure)
        draft.meeting = fields.optional("meeting").flatMap(ProgrammeDetails.meeting)
        ProgrammeRules.check(draft, fields)
        return (draft, references.hamlets, references.groups)
    }
}
