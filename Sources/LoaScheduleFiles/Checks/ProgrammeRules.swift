import LoaDomain

/// Rules that concern one programme on its own: emergencies at fixed times, and
/// disclosures and dialogue notices carrying what the law asks of them.
enum ProgrammeRules {
    static func check(_ draft: ProgrammeDraft, _ fields: MappingReader) {
        let log = fields.value.log
        checkEmergency(draft, log)
        let category = draft.category?.value
        DisclosureRules.check(
            draft.disclosure, category: category, written: fields.has("disclosure"),
            at: Located(value: (), position: draft.position, field: draft.field), of: .programme, log)
        if category == .dialogue, !fields.has("meeting") {
            log.warning(
                "meeting-missing", at: draft.position, field: draft.field + ".meeting",
                vi: "thông báo hội nghị đối thoại chưa ghi ngày và loại cuộc họp nên Loa không kiểm tra được thời hạn báo trước; hãy thêm, ví dụ: meeting: {date: 2026-12-13, kind: dialogue-conference}",
                en: "the dialogue notice does not say the meeting's date and kind, so Loa cannot check the notice period; add e.g. meeting: {date: 2026-12-13, kind: dialogue-conference}")
        }
    }

    /// Emergencies air at once, at the times given, never waiting for a slot.
    private static func checkEmergency(_ draft: ProgrammeDraft, _ log: DiagnosticLog) {
        guard draft.priority.value == .emergency else { return }
        if let slots = draft.timing.slots {
            slots.error(
                log, "emergency-in-slots",
                vi: "chương trình khẩn cấp không chờ buổi phát thanh mà phát đúng giờ đã định; hãy thay slots bằng giờ cố định, ví dụ: at: [06:00]",
                en: "an emergency does not wait for a broadcast slot, it airs at the times given; replace slots with fixed times, e.g. at: [06:00]")
        } else if draft.timing.at == nil {
            log.error(
                "emergency-needs-at", at: draft.position, field: draft.field + ".at",
                vi: "chương trình khẩn cấp cần giờ phát cố định; hãy thêm, ví dụ: at: [06:00, 11:30]",
                en: "an emergency needs fixed times; add e.g. at: [06:00, 11:30]")
        }
    }
}
