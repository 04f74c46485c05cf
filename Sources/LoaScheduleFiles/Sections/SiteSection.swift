import Foundation
import LoaDomain

/// What the `site:` section held, with positions for later checks.
struct SiteDraft {
    /// Where `site:` is written (named when a second file also has one).
    var keyPosition: SourcePosition
    var id: Located<String>?
    var name: String?
    var timeZone = "Asia/Ho_Chi_Minh"
    var defaultVolume = 7
    var gapSeconds = 5
    var clockToleranceMs: Int?
    /// Every slot id written, even of slots with other mistakes (so references to them do not cascade).
    var slotIDs: [Located<String>] = []
    /// The slots read completely, located at their `time` field.
    var slots: [Located<BroadcastSlot>] = []
    var quietHours: [Located<QuietHours>] = []
    var holidays: [LocalDate] = []

    /// The settings, when the required fields were read.
    var settings: SiteSettings? {
        guard let id, let name else { return nil }
        return SiteSettings(
            id: id.value, name: name, timeZone: timeZone, slots: slots.map(\.value),
            quietHours: quietHours.map(\.value), defaultVolume: defaultVolume, holidays: holidays,
            gapSeconds: gapSeconds, clockToleranceMs: clockToleranceMs)
    }
}

/// Reads `site:`: the commune, its time zone, volume, slots, quiet hours and holidays.
enum SiteSection {
    static func read(_ value: YAMLValue, keyPosition: SourcePosition) -> SiteDraft? {
        guard let fields = MappingReader(value) else { return nil }
        var draft = SiteDraft(keyPosition: keyPosition)
        draft.id = fields.required("id")?.identifier()
        draft.name = fields.required("name")?.text()
        if let zone = fields.optional("time-zone"), let text = zone.text() {
            if TimeZone(identifier: text) == nil {
                let sameLetters = TimeZone.knownTimeZoneIdentifiers.first { $0.lowercased() == text.lowercased() }
                let suggestion = sameLetters ?? "Asia/Ho_Chi_Minh"
                zone.error(
                    "unknown-time-zone",
                    vi: "'\(text)' không phải là tên múi giờ (theo danh sách IANA); hãy ghi time-zone: \(suggestion)\(sameLetters == nil ? " (giờ Việt Nam), hoặc bỏ dòng này vì đó là mặc định" : "")",
                    en: "'\(text)' is not a time zone name (IANA list); write time-zone: \(suggestion)\(sameLetters == nil ? " (Vietnam's time), or leave the line out, as that is the default" : "")")
            } else {
                draft.timeZone = text
            }
        }
        if let volume = fields.optional("default-volume")?.integer(in: 1...10) { draft.defaultVolume = volume.value }
        if let gap = fields.optional("gap-seconds")?.integer(in: 0...60) { draft.gapSeconds = gap.value }
        if let tolerance = fields.optional("clock-tolerance-ms")?.integer(in: 1...10_000) { draft.clockToleranceMs = tolerance.value }
        for item in fields.required("slots")?.nonEmptyList() ?? [] { readSlot(item, into: &draft) }
        for item in fields.optional("quiet-hours")?.list() ?? [] {
            guard let range = item.timeRange() else { continue }
            if range.value.start == range.value.end {
                item.error(
                    "invalid-time-range",
                    vi: "giờ yên tĩnh bắt đầu và kết thúc cùng lúc (\(range.value.start)); hãy ghi giờ bắt đầu-giờ kết thúc, ví dụ 21:30-05:00",
                    en: "the quiet hours start and end at the same time (\(range.value.start)); write start-end, e.g. 21:30-05:00")
                continue
            }
            draft.quietHours.append(item.located(QuietHours(start: range.value.start, end: range.value.end)))
        }
        for item in fields.optional("holidays")?.list() ?? [] {
            if let date = item.date() { draft.holidays.append(date.value) }
        }
        return draft
    }

    private static func readSlot(_ item: YAMLValue, into draft: inout SiteDraft) {
        guard let fields = MappingReader(item) else { return }
        let id = fields.required("id")?.identifier()
        if let id { draft.slotIDs.append(id) }
        let name = fields.required("name")?.text()
        let time = fields.required("time").flatMap { field in field.timeRange().map { (field, $0) } }
        let days = fields.required("days")?.weekdays()
        let maxMinutes = fields.optional("max-minutes")?.integer(in: 1...Int.max)
        guard let (timeField, range) = time, SlotTimes.check(range, at: timeField) else { return }
        let length = (range.value.end.secondsSinceMidnight - range.value.start.secondsSinceMidnight) / 60
        if let maxMinutes, maxMinutes.value > length {
            maxMinutes.warning(
                item.log, "max-minutes-over-slot",
                vi: "buổi này chỉ dài \(length) phút (\(range.value.start)–\(range.value.end)) nên max-minutes: \(maxMinutes.value) không có tác dụng; hãy ghi tối đa \(length), hoặc kéo dài buổi",
                en: "the slot is only \(length) minutes long (\(range.value.start)–\(range.value.end)), so max-minutes: \(maxMinutes.value) has no effect; write at most \(length), or lengthen the slot")
        }
        guard let id, let name, let days else { return }
        let slot = BroadcastSlot(
            id: id.value, name: name, start: range.value.start, end: range.value.end, weekdays: days.value,
            maxMinutes: maxMinutes?.value)
        draft.slots.append(timeField.located(slot))
    }
}

/// The rule that a slot starts before it ends, on the same day.
enum SlotTimes {
    /// True when the slot's end is after its start; reports it otherwise.
    static func check(_ range: Located<(start: LocalTime, end: LocalTime)>, at value: YAMLValue) -> Bool {
        let (start, end) = range.value
        if end > start { return true }
        if end < start, start.hour >= 12, end.hour < 12 {
            value.error(
                "slot-crosses-midnight",
                vi: "buổi phát \(start)–\(end) vắt qua nửa đêm; một buổi phải bắt đầu và kết thúc trong cùng một ngày: hãy tách thành hai buổi, ví dụ \(start)-23:59 và 00:00-\(end)",
                en: "the slot \(start)–\(end) crosses midnight; a slot must start and end on the same day: split it in two, e.g. \(start)-23:59 and 00:00-\(end)")
        } else {
            let later = LocalTime(secondsSinceMidnight: min(start.secondsSinceMidnight + 1800, 86_399)) ?? start
            let suggestion = end == start ? "\(start)-\(later)" : "\(end)-\(start)"
            value.error(
                "slot-end-before-start",
                vi: "buổi phát kết thúc lúc \(end), không sau giờ bắt đầu \(start); hãy ghi giờ bắt đầu rồi đến giờ kết thúc muộn hơn, ví dụ \(suggestion)",
                en: "the slot ends at \(end), not after its start \(start); write the start, then a later end, e.g. \(suggestion)")
        }
        return false
    }
}
