import Foundation
import LoaDomain

/// Reads when a programme airs: `repeat` with its `days` / `day-of-month` / `date`,
/// the `from`–`until` range, and either fixed times `at:` or `slots:`.
enum ProgrammeTiming {
    static func read(_ fields: MappingReader) -> TimingDraft {
        var timing = TimingDraft()
        timing.days = fields.optional("days")?.weekdays()
        timing.dayOfMonth = fields.optional("day-of-month")?.integer(in: 1...31)
        timing.date = fields.optional("date")?.date()
        timing.from = fields.optional("from")?.date()
        timing.until = fields.optional("until")?.date()
        if let at = fields.optional("at"), let items = at.nonEmptyList() {
            timing.at = at.located(items.compactMap { $0.time() })
        }
        if let slots = fields.optional("slots"), let ids = slots.identifiers() {
            timing.slots = slots.located(ids)
        }
        timing.timesPerDay = fields.optional("times-per-day")?.integer(in: 1...Int.max)
        if let repeatField = fields.optional("repeat") {
            timing.repeatKind = repeatField.choice(ScheduleChoices.repeatKind)
        } else {
            let guess = guessedRepeat(fields)
            fields.reportMissing(
                "repeat",
                because: ("— một trong: \(ScheduleChoices.repeatKind.vietnameseList)", "— one of: \(ScheduleChoices.repeatKind.words)"),
                example: guess.rawValue)
        }
        if let kind = timing.repeatKind?.value { checkDayFields(of: kind, fields) }
        checkTimes(timing, fields)
        checkRange(timing, fields.value.log)
        if let day = timing.dayOfMonth, day.value >= 29, timing.repeatKind?.value == .monthly {
            day.warning(
                fields.value.log, "monthly-day-skipped",
                vi: "ngày \(day.value) không có trong mọi tháng (tháng 2, và tháng 4, 6, 9, 11 với ngày 31): những tháng đó sẽ không phát; nếu cần phát hằng tháng, hãy chọn một ngày từ 1 đến 28",
                en: "day \(day.value) is missing from some months (February; April, June, September, November for the 31st): those months are skipped; pick a day from 1 to 28 to air every month")
        }
        return timing
    }

    /// The repeat the other fields suggest, for the "missing repeat" message.
    private static func guessedRepeat(_ fields: MappingReader) -> RepeatKind {
        if fields.has("date") { return .once }
        if fields.has("days") { return .weekly }
        if fields.has("day-of-month") { return .monthly }
        return .daily
    }

    /// Which day field each repeat needs, and that the others are not written.
    private static func checkDayFields(of kind: RepeatKind, _ fields: MappingReader) {
        let needs: [RepeatKind: String] = [.once: "date", .weekly: "days", .monthly: "day-of-month"]
        let owner: [String: RepeatKind] = ["date": .once, "days": .weekly, "day-of-month": .monthly]
        if let needed = needs[kind], !fields.has(needed) {
            fields.reportMissing(
                needed, because: ("vì repeat: \(kind.rawValue) (\(kind.vietnameseName))", "for repeat: \(kind.rawValue)"))
        }
        for (key, belongs) in owner.sorted(by: { $0.key < $1.key }) where belongs != kind {
            guard let position = fields.keyPosition(key) else { continue }
            let path = fields.value.field + "." + key
            fields.value.log.error(
                "not-applicable", at: position, field: path,
                vi: "'\(key)' chỉ dùng với repeat: \(belongs.rawValue) (\(belongs.vietnameseName)), còn chương trình này là repeat: \(kind.rawValue) (\(kind.vietnameseName)); hãy xóa dòng '\(key)' hoặc đổi thành repeat: \(belongs.rawValue)",
                en: "'\(key)' goes with repeat: \(belongs.rawValue), but this programme is repeat: \(kind.rawValue); remove '\(key)' or change to repeat: \(belongs.rawValue)")
        }
    }

    /// `at` and `slots` exclude each other; `times-per-day` goes with slots.
    private static func checkTimes(_ timing: TimingDraft, _ fields: MappingReader) {
        let log = fields.value.log
        if timing.at != nil, let position = fields.keyPosition("slots") {
            log.error(
                "both-at-and-slots", at: position, field: fields.value.field + ".slots",
                vi: "chỉ ghi một trong hai: at (phát đúng giờ cố định) hoặc slots (phát trong các buổi phát thanh); hãy xóa một",
                en: "write only one of at (fixed times) or slots (inside broadcast slots); remove one")
        }
        if timing.at != nil, let position = fields.keyPosition("times-per-day") {
            log.error(
                "not-applicable", at: position, field: fields.value.field + ".times-per-day",
                vi: "times-per-day chỉ dùng khi phát trong buổi (slots); với at, chương trình phát đúng các giờ đã ghi, mỗi giờ một lần; hãy xóa dòng times-per-day",
                en: "times-per-day goes with slots; with at the programme airs once at each time listed; remove times-per-day")
        }
    }

    /// `until` not before `from`, and a single day inside them.
    static func checkRange(_ timing: TimingDraft, _ log: DiagnosticLog) {
        if let from = timing.from, let until = timing.until, until.value < from.value {
            until.error(
                log, "until-before-from",
                vi: "ngày kết thúc \(until.value.vietnameseDescription) sớm hơn ngày bắt đầu \(from.value.vietnameseDescription); hãy sửa until thành một ngày từ \(from.value) trở đi",
                en: "until \(until.value) is before from \(from.value); make until \(from.value) or later")
        }
        guard timing.repeatKind?.value == .once, let date = timing.date else { return }
        let before = timing.from.map { date.value < $0.value } ?? false
        let after = timing.until.map { date.value > $0.value } ?? false
        guard before || after else { return }
        let range = "\(timing.from.map { "từ \($0.value.vietnameseDescription)" } ?? "") \(timing.until.map { "đến \($0.value.vietnameseDescription)" } ?? "")"
        let rangeEN = "\(timing.from.map { "from \($0.value)" } ?? "") \(timing.until.map { "until \($0.value)" } ?? "")"
        date.error(
            log, "date-outside-range",
            vi: "ngày phát \(date.value.vietnameseDescription) nằm ngoài khoảng \(range.trimmingCharacters(in: .whitespaces)) nên sẽ không bao giờ phát; hãy sửa date, hoặc bỏ from/until (không cần khi repeat: once)",
            en: "the date \(date.value) lies outside \(rangeEN.trimmingCharacters(in: .whitespaces)), so it never airs; fix date, or remove from/until (not needed with repeat: once)")
    }
}
