/// Ids unique in their list (across files), and every reference naming something declared.
enum ReferenceChecks {
    struct Noun {
        let vi: String
        let en: String
        let kind: String
    }

    static let slot = Noun(vi: "buổi phát", en: "slot", kind: "unknown-slot")
    static let hamlet = Noun(vi: "thôn", en: "hamlet", kind: "unknown-hamlet")
    static let group = Noun(vi: "nhóm thôn", en: "group", kind: "unknown-group")
    /// Programmes are never referenced; the noun names them in duplicate-id messages.
    static let programme = Noun(vi: "chương trình", en: "programme", kind: "unknown-programme")
    /// Notices share their ids with programmes: a notice's id may be neither.
    static let programmeOrNotice = Noun(vi: "chương trình hay tin niêm yết", en: "programme or notice", kind: "unknown-notice")

    static func run(site: SiteDraft?, files: [FileSections], log: DiagnosticLog) {
        let hamlets = files.flatMap(\.hamlets)
        let groups = files.flatMap(\.groups)
        if let site { duplicates(site.slotIDs, of: slot, log) }
        duplicates(hamlets.map(\.id), of: hamlet, log)
        duplicates(groups.map(\.id), of: group, log)
        let programmeIDs = files.flatMap(\.programmes).compactMap(\.id)
        duplicates(programmeIDs, of: programme, log)
        duplicates(programmeIDs + files.flatMap(\.notices).compactMap(\.id), of: programmeOrNotice, log, from: programmeIDs.count)
        duplicateReceivers(hamlets, log)
        let hamletIDs = hamlets.map(\.id.value)
        let groupIDs = groups.map(\.id.value)
        for reference in groups.flatMap(\.hamlets) + files.flatMap(\.targetedHamlets) {
            unknown(reference, of: hamlet, declared: hamletIDs, log)
        }
        for reference in files.flatMap(\.targetedGroups) { unknown(reference, of: group, declared: groupIDs, log) }
    }

    /// Reports `reference` when `declared` does not hold it, with the nearest declared id.
    static func unknown(_ reference: Located<String>, of noun: Noun, declared: [String], _ log: DiagnosticLog) {
        guard !declared.contains(reference.value) else { return }
        let id = reference.value
        guard !declared.isEmpty else {
            reference.error(
                log, noun.kind, vi: "'\(id)' không phải là \(noun.vi) đã khai báo: chưa khai báo \(noun.vi) nào; hãy khai báo trước khi dùng",
                en: "'\(id)' is not a declared \(noun.en): no \(noun.en) is declared yet; declare it first")
            return
        }
        let nearest = NearestName.suggestion(for: id, among: declared)
        let list = declared.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", ")
        reference.error(
            log, noun.kind,
            vi: "'\(id)' không phải là \(noun.vi) đã khai báo; \(nearest.map { "có phải ý bạn là '\($0)'? " } ?? "")hãy dùng một trong: \(list)",
            en: "'\(id)' is not a declared \(noun.en); \(nearest.map { "did you mean '\($0)'? " } ?? "")use one of: \(list)")
    }

    /// Reports every id written again after its first place; ids before index `from`
    /// are only remembered (already checked among themselves).
    private static func duplicates(_ ids: [Located<String>], of noun: Noun, _ log: DiagnosticLog, from: Int = 0) {
        var first: [String: Located<String>] = [:]
        for (index, id) in ids.enumerated() {
            guard let earlier = first[id.value] else {
                first[id.value] = id
                continue
            }
            guard index >= from else { continue }
            id.error(
                log, "duplicate-id",
                vi: "mã '\(id.value)' đã dùng cho một \(noun.vi) khác ở \(earlier.position.description); mỗi \(noun.vi) cần một mã riêng, ví dụ '\(id.value)-2'",
                en: "the id '\(id.value)' is already used by another \(noun.en) at \(earlier.position.description); each \(noun.en) needs its own id, e.g. '\(id.value)-2'")
        }
    }

    /// A receiver belongs to one hamlet only.
    private static func duplicateReceivers(_ hamlets: [HamletDraft], _ log: DiagnosticLog) {
        var owner: [String: (hamlet: String, position: SourcePosition)] = [:]
        for hamlet in hamlets {
            for receiver in hamlet.receivers {
                guard let earlier = owner[receiver.value] else {
                    owner[receiver.value] = (hamlet.name ?? hamlet.id.value, receiver.position)
                    continue
                }
                receiver.error(
                    log, "duplicate-receiver",
                    vi: "cụm loa '\(receiver.value)' đã được ghi cho \(earlier.hamlet) ở \(earlier.position.description); mỗi cụm loa chỉ thuộc một thôn, hãy xóa một trong hai",
                    en: "the receiver '\(receiver.value)' is already listed for \(earlier.hamlet) at \(earlier.position.description); a receiver belongs to one hamlet, remove one")
            }
        }
    }
}
