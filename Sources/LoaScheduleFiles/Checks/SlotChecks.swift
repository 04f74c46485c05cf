import LoaDomain

/// Rules between programmes and the site's slots and quiet hours.
enum SlotChecks {
    static func run(site: SiteDraft, programmes: [ProgrammeDraft], log: DiagnosticLog) {
        checkQuietSlots(site, log)
        for draft in programmes {
            for reference in draft.timing.slots?.value ?? [] {
                ReferenceChecks.unknown(reference, of: ReferenceChecks.slot, declared: site.slotIDs.map(\.value), log)
            }
            guard draft.priority.value != .emergency else { continue }
            if let times = draft.timing.at {
                checkFixedTimes(times.value, of: draft, site, log)
            } else {
                checkSlotted(draft, site, log)
            }
        }
    }

    /// "21:30–05:00".
    static func describe(_ quiet: QuietHours) -> String { "\(quiet.start)–\(quiet.end)" }

    /// A slot overlapping quiet hours could never air what it holds.
    private static func checkQuietSlots(_ site: SiteDraft, _ log: DiagnosticLog) {
        for slot in site.slots {
            let (start, end) = (slot.value.start, slot.value.end)
            for quiet in site.quietHours.map(\.value)
            where quiet.contains(start) || (start < quiet.start && quiet.start < end) {
                slot.error(
                    log, "slot-in-quiet-hours",
                    vi: "buổi phát '\(slot.value.id)' (\(start)–\(end)) trùng giờ yên tĩnh \(describe(quiet)); trong giờ yên tĩnh chỉ tin khẩn cấp được phát; hãy dời buổi ra ngoài giờ yên tĩnh hoặc sửa quiet-hours",
                    en: "the slot '\(slot.value.id)' (\(start)–\(end)) overlaps the quiet hours \(describe(quiet)), when only emergencies may sound; move the slot or change quiet-hours")
            }
        }
    }

    /// Fixed times of a normal or priority programme: never in quiet hours, best inside a slot.
    private static func checkFixedTimes(_ times: [Located<LocalTime>], of draft: ProgrammeDraft, _ site: SiteDraft, _ log: DiagnosticLog) {
        for time in times {
            if let quiet = site.quietHours.map(\.value).first(where: { $0.contains(time.value) }) {
                time.error(
                    log, "at-in-quiet-hours",
                    vi: "\(time.value) nằm trong giờ yên tĩnh \(describe(quiet)), khi chỉ tin khẩn cấp (priority: emergency) được phát; hãy chọn giờ ngoài \(describe(quiet)), ví dụ \(quiet.end)",
                    en: "\(time.value) is inside the quiet hours \(describe(quiet)), when only emergencies (priority: emergency) may sound; pick a time outside \(describe(quiet)), e.g. \(quiet.end)")
                continue
            }
            let inSlot = site.slots.contains { $0.value.start <= time.value && time.value < $0.value.end }
            if !inSlot, !site.slots.isEmpty {
                let slots = site.slots.map { "\($0.value.id) \($0.value.start)–\($0.value.end)" }.joined(separator: ", ")
                time.warning(
                    log, "at-outside-slots",
                    vi: "\(time.value) nằm ngoài mọi buổi phát thanh (\(slots)); chương trình sẽ phát chen vào giữa hai buổi; nếu không cố ý, hãy chọn giờ trong một buổi hoặc dùng slots:",
                    en: "\(time.value) is outside every broadcast slot (\(slots)); it will air between sessions; if that is not meant, pick a time inside a slot or use slots:")
            }
        }
    }

    /// A programme the planner places in slots: enough slots, long enough, on its days.
    private static func checkSlotted(_ draft: ProgrammeDraft, _ site: SiteDraft, _ log: DiagnosticLog) {
        let listed = draft.timing.slots?.value.map(\.value) ?? []
        let eligible = listed.isEmpty ? site.slots.map(\.value) : site.slots.map(\.value).filter { listed.contains($0.id) }
        let offered = listed.isEmpty ? site.slotIDs.count : listed.count
        if let perDay = draft.timing.timesPerDay, perDay.value > offered {
            perDay.error(
                log, "times-per-day-too-many",
                vi: "times-per-day: \(perDay.value) nhiều hơn số buổi được chọn (\(offered)); mỗi buổi phát một lần, hãy ghi tối đa \(offered) hoặc thêm buổi vào slots",
                en: "times-per-day: \(perDay.value) is more than the \(offered) slot(s) it may use; it airs once a slot, so write at most \(offered) or list more slots")
        }
        guard !eligible.isEmpty else { return }
        if let duration = draft.duration, duration.value > eligible.map(\.capacitySeconds).max() ?? 0 {
            let capacities = eligible.map { "\($0.id): \(DurationText.text($0.capacitySeconds))" }.joined(separator: ", ")
            duration.error(
                log, "too-long-for-slot",
                vi: "chương trình dài \(DurationText.text(duration.value)), dài hơn thời lượng của mọi buổi được chọn (\(capacities)) nên không bao giờ phát được; hãy rút ngắn, chia làm nhiều phần, hoặc chọn buổi dài hơn",
                en: "the programme lasts \(DurationText.text(duration.value)), longer than any slot it may use (\(capacities)), so it can never air; shorten it, split it, or pick a longer slot")
        }
        checkDays(draft, slotDays: eligible.reduce(into: Set<Weekday>()) { $0.formUnion($1.weekdays) }, log)
    }

    /// Days the programme asks for on which none of its slots runs.
    private static func checkDays(_ draft: ProgrammeDraft, slotDays: Set<Weekday>, _ log: DiagnosticLog) {
        let timing = draft.timing
        let asked: Set<Weekday>
        let place: Located<Void>
        switch timing.repeatKind?.value {
        case .weekly:
            guard let days = timing.days else { return }
            asked = days.value
            place = Located(value: (), position: days.position, field: days.field)
        case .once:
            guard let date = timing.date else { return }
            asked = [date.value.weekday]
            place = Located(value: (), position: date.position, field: date.field)
        default:
            return
        }
        let missing = asked.subtracting(slotDays).sorted()
        guard !missing.isEmpty else { return }
        let names = missing.map { "\($0.vietnameseName) (\($0.rawValue))" }.joined(separator: ", ")
        let running = slotDays.sorted().map(\.rawValue).joined(separator: ", ")
        let vi = "không có buổi phát nào của chương trình vào \(names) (các buổi chạy vào: \(running)); hãy chọn ngày có buổi phát, hoặc thêm ngày đó vào days của buổi"
        let en = "none of its slots runs on \(missing.map(\.rawValue).joined(separator: ", ")) (they run on: \(running)); pick days with a slot, or add the day to the slot's days"
        // A programme none of whose days has a slot never airs: that is an error.
        if missing.count == asked.count {
            place.error(log, "no-slot-on-day", vi: vi + "; như hiện nay chương trình sẽ không bao giờ được phát", en: en + "; as written it never airs")
        } else {
            place.warning(log, "no-slot-on-day", vi: vi, en: en)
        }
    }
}
