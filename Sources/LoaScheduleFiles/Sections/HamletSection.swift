import LoaDomain

/// A hamlet as written, with the positions of its id and receivers.
struct HamletDraft {
    var id: Located<String>
    var name: String?
    var receivers: [Located<String>]

    var hamlet: ScheduleHamlet? { name.map { ScheduleHamlet(id: id.value, name: $0, receivers: receivers.map(\.value)) } }
}

/// A group of hamlets as written, with the positions of its references.
struct GroupDraft {
    var id: Located<String>
    var name: String?
    var hamlets: [Located<String>]

    var group: HamletGroup? { name.map { HamletGroup(id: id.value, name: $0, hamlets: hamlets.map(\.value)) } }
}

/// Reads `hamlets:` and `groups:`.
enum HamletSection {
    static func readHamlets(_ value: YAMLValue) -> [HamletDraft] {
        (value.list() ?? []).compactMap { item in
            guard let fields = MappingReader(item) else { return nil }
            let id = fields.required("id")?.identifier()
            let name = fields.required("name")?.text()
            let receiversField = fields.optional("receivers")
            let receivers = receiversField?.identifiers() ?? []
            if receiversField.map({ $0.shapeKind == .list && receivers.isEmpty }) ?? true {
                let label = name ?? id?.value ?? "?"
                item.log.warning(
                    "hamlet-without-receivers", at: item.position, field: "\(item.field).receivers",
                    vi: "'\(label)' chưa có cụm loa nào nên sẽ không nghe được chương trình nào; hãy ghi mã các cụm loa, ví dụ: receivers: [loa-dong-1]",
                    en: "'\(label)' has no receivers, so nothing will be heard there; list its devices, e.g. receivers: [loa-dong-1]")
            }
            return id.map { HamletDraft(id: $0, name: name, receivers: receivers) }
        }
    }

    static func readGroups(_ value: YAMLValue) -> [GroupDraft] {
        (value.list() ?? []).compactMap { item in
            guard let fields = MappingReader(item) else { return nil }
            let id = fields.required("id")?.identifier()
            let name = fields.required("name")?.text()
            let hamlets = fields.required("hamlets")?.identifiers(nonEmpty: true) ?? []
            return id.map { GroupDraft(id: $0, name: name, hamlets: hamlets) }
        }
    }
}
