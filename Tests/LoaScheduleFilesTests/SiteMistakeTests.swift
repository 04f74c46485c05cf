import LoaScheduleFiles
import Testing

/// Mistakes in the site, its hamlets and groups. The fixture's site.yaml reads:
///
///      1 site:
///      2   id: xa-thu
///      3   name: Xã Thử
///      4   slots:
///      5     - id: sang
///      6       name: Buổi sáng
///      7       time: 05:00-05:30
///      8       days: mon-sat
///      9       max-minutes: 15
///     10     - id: chieu
///     11       name: Buổi chiều
///     12       time: 17:00-17:30
///     13       days: mon-sat
///     14   quiet-hours: [21:30-05:00]
///     15 hamlets:
///     16   - id: thon-dong
///     17     name: Thôn Đông
///     18     receivers: [loa-dong-1]
///     19   - id: thon-doai
///     20     name: Thôn Đoài
///     21     receivers: [loa-doai-1]
///     22 groups:
///     23   - id: ven-song
///     24     name: Ven sông
///     25     hamlets: [thon-dong]
@Suite("Mistakes in the site, hamlets and groups")
struct SiteMistakeTests {
    static let cases: [Mistake] = [
        Mistake(
            name: "a slot that ends before it starts",
            site: Mistake.site("time: 05:00-05:30", "time: 05:30-05:00"),
            kind: "slot-end-before-start", file: "site.yaml", line: 7, column: 13, field: "site.slots[1].time",
            advice: ["ví dụ 05:00-05:30"]),
        Mistake(
            name: "a slot crossing midnight",
            site: Mistake.site("time: 17:00-17:30", "time: 23:00-01:00"),
            kind: "slot-crosses-midnight", file: "site.yaml", line: 12, column: 13, field: "site.slots[2].time",
            advice: ["tách thành hai buổi", "23:00-23:59 và 00:00-01:00"]),
        Mistake(
            name: "more content minutes than the slot lasts",
            site: Mistake.site("max-minutes: 15", "max-minutes: 45"),
            kind: "max-minutes-over-slot", severity: .warning, file: "site.yaml", line: 9, column: 20,
            field: "site.slots[1].max-minutes", advice: ["chỉ dài 30 phút", "tối đa 30"]),
        Mistake(
            name: "no minutes at all",
            site: Mistake.site("max-minutes: 15", "max-minutes: 0"),
            kind: "out-of-range", file: "site.yaml", line: 9, column: 20, field: "site.slots[1].max-minutes",
            advice: ["từ 1 trở lên"]),
        Mistake(
            name: "a day range running backwards",
            site: Mistake.site("days: mon-sat", "days: sat-mon"),
            kind: "invalid-day-range", file: "site.yaml", line: 8, column: 13, field: "site.slots[1].days",
            advice: ["ví dụ mon-sat", "[sat, sun, mon]"]),
        Mistake(
            name: "a day range with a Vietnamese end, shown corrected",
            site: Mistake.site("days: mon-sat", "days: mon-t7"),
            kind: "unknown-weekday", file: "site.yaml", line: 8, column: 13, field: "site.slots[1].days",
            advice: ["'t7' không phải là ngày trong tuần", "có phải ý bạn là 'sat' (Thứ Bảy), tức là mon-sat?"]),
        Mistake(
            name: "a time zone that does not exist",
            site: Mistake.site("  name: Xã Thử", "  name: Xã Thử\n  time-zone: Asia/Hanoi"),
            kind: "unknown-time-zone", file: "site.yaml", line: 4, column: 14, field: "site.time-zone",
            advice: ["time-zone: Asia/Ho_Chi_Minh"]),
        Mistake(
            name: "a slot overlapping the quiet hours, naming both",
            site: Mistake.site("[21:30-05:00]", "[21:30-05:15]"),
            kind: "slot-in-quiet-hours", file: "site.yaml", line: 7, column: 13, field: "site.slots[1].time",
            advice: ["'sang' (05:00–05:30)", "21:30–05:15", "hãy dời buổi"]),
        Mistake(
            name: "quiet hours without an end",
            site: Mistake.site("[21:30-05:00]", "[21:30]"),
            kind: "invalid-time-range", file: "site.yaml", line: 14, column: 17, field: "site.quiet-hours[1]",
            advice: ["quiet-hours: [21:30-05:00]"]),
        Mistake(
            name: "a holiday in month 13",
            site: Mistake.site("  quiet-hours: [21:30-05:00]", "  quiet-hours: [21:30-05:00]\n  holidays: [2026-13-01]"),
            kind: "invalid-date", file: "site.yaml", line: 15, column: 14, field: "site.holidays[1]",
            advice: ["tháng phải từ 01 đến 12"]),
        Mistake(
            name: "a site without its name",
            site: Mistake.site("  name: Xã Thử\n", ""),
            kind: "missing-field", file: "site.yaml", line: 2, column: 3, field: "site.name",
            advice: ["thiếu trường 'name' (tên xã)", "name: Xã Bình Giang"]),
        Mistake(
            name: "a name left empty, pointed at the field",
            site: Mistake.site("  name: Xã Thử", "  name:"),
            kind: "missing-value", file: "site.yaml", line: 3, column: 3, field: "site.name",
            advice: ["'name' để trống", "ví dụ: name: Xã Bình Giang"]),
        Mistake(
            name: "a misspelt section name",
            site: Mistake.site("groups:", "group:"),
            kind: "unknown-field", file: "site.yaml", line: 22, column: 1, field: "group",
            advice: ["có phải ý bạn là 'groups'?"]),
        Mistake(
            name: "a hamlet without receivers",
            site: Mistake.site("\n    receivers: [loa-doai-1]", ""),
            kind: "hamlet-without-receivers", severity: .warning, file: "site.yaml", line: 19, column: 5,
            field: "hamlets[2].receivers", advice: ["'Thôn Đoài' chưa có cụm loa nào", "receivers: [loa-dong-1]"]),
        Mistake(
            name: "one receiver in two hamlets, naming the first",
            site: Mistake.site("[loa-doai-1]", "[loa-dong-1]"),
            kind: "duplicate-receiver", file: "site.yaml", line: 21, column: 17, field: "hamlets[2].receivers[1]",
            advice: ["Thôn Đông ở site.yaml:18:17", "xóa một trong hai"]),
        Mistake(
            name: "two hamlets with one id, naming the first",
            site: Mistake.site("id: thon-doai", "id: thon-dong"),
            kind: "duplicate-id", file: "site.yaml", line: 19, column: 9, field: "hamlets[2].id",
            advice: ["đã dùng cho một thôn khác ở site.yaml:16:9"]),
        Mistake(
            name: "a group naming a hamlet that is not declared",
            site: Mistake.site("hamlets: [thon-dong]", "hamlets: [thon-dong, thon-bai]"),
            kind: "unknown-hamlet", file: "site.yaml", line: 25, column: 26, field: "groups[1].hamlets[2]",
            advice: ["có phải ý bạn là 'thon-doai'?"]),
        Mistake(
            name: "a group without hamlets",
            site: Mistake.site("hamlets: [thon-dong]", "hamlets: []"),
            kind: "empty-list", file: "site.yaml", line: 25, column: 14, field: "groups[1].hamlets",
            advice: ["ít nhất một mục", "hamlets: [thon-dong, thon-nam]"]),
    ]

    @Test("each mistake is reported where it is, saying what would be right", arguments: cases)
    func mistake(_ mistake: Mistake) throws {
        try mistake.check()
    }
}
