/// Every field a schedule file may hold, in the order the documentation lists them,
/// with what it means in Vietnamese and an example value. Readers take their known
/// field names from here, and messages take their examples from here.
enum FieldGuide {
    struct Entry {
        /// Field path without list indices, e.g. `programmes.disclosure.item`.
        let pattern: String
        /// What it is, in Vietnamese, e.g. "loại nội dung".
        let vi: String
        let example: String
    }

    static let entries: [Entry] = [
        Entry(pattern: "site", vi: "thông tin xã", example: "{id: xa-binh-giang, name: Xã Bình Giang, slots: [...]}"),
        Entry(pattern: "site.id", vi: "mã của xã", example: "xa-binh-giang"),
        Entry(pattern: "site.name", vi: "tên xã", example: "Xã Bình Giang"),
        Entry(pattern: "site.time-zone", vi: "múi giờ", example: "Asia/Ho_Chi_Minh"),
        Entry(pattern: "site.default-volume", vi: "âm lượng mặc định", example: "7"),
        Entry(pattern: "site.gap-seconds", vi: "số giây nghỉ giữa hai bản tin", example: "5"),
        Entry(pattern: "site.clock-tolerance-ms", vi: "độ lệch đồng hồ tối đa của cụm loa, mili giây", example: "50"),
        Entry(
            pattern: "site.slots", vi: "các buổi phát thanh",
            example: "[{id: sang, name: Buổi sáng, time: 05:00-05:30, days: mon-sat}]"),
        Entry(pattern: "site.slots.id", vi: "mã buổi phát", example: "sang"),
        Entry(pattern: "site.slots.name", vi: "tên buổi phát", example: "Buổi sáng"),
        Entry(pattern: "site.slots.time", vi: "giờ bắt đầu và kết thúc", example: "05:00-05:30"),
        Entry(pattern: "site.slots.days", vi: "các ngày có buổi phát", example: "mon-sat"),
        Entry(pattern: "site.slots.max-minutes", vi: "số phút nội dung tối đa mỗi buổi", example: "15"),
        Entry(pattern: "site.quiet-hours", vi: "giờ yên tĩnh", example: "[21:30-05:00]"),
        Entry(pattern: "site.holidays", vi: "ngày nghỉ lễ", example: "[2027-01-01, 2027-02-16]"),
        Entry(
            pattern: "hamlets", vi: "các thôn",
            example: "[{id: thon-dong, name: Thôn Đông, receivers: [loa-dong-1]}]"),
        Entry(pattern: "hamlets.id", vi: "mã thôn", example: "thon-dong"),
        Entry(pattern: "hamlets.name", vi: "tên thôn", example: "Thôn Đông"),
        Entry(pattern: "hamlets.receivers", vi: "các cụm loa của thôn", example: "[loa-dong-1, loa-dong-2]"),
        Entry(
            pattern: "groups", vi: "các nhóm thôn",
            example: "[{id: ven-song, name: Các thôn ven sông, hamlets: [thon-dong, thon-nam]}]"),
        Entry(pattern: "groups.id", vi: "mã nhóm thôn", example: "ven-song"),
        Entry(pattern: "groups.name", vi: "tên nhóm thôn", example: "Các thôn ven sông"),
        Entry(pattern: "groups.hamlets", vi: "các thôn trong nhóm", example: "[thon-dong, thon-nam]"),
        Entry(
            pattern: "programmes", vi: "các chương trình",
            example: "[{id: cqtt-tuan, title: ..., category: propaganda, audio: ../Audio/thong-bao-mau.mp3, repeat: daily}]"),
        Entry(pattern: "programmes.id", vi: "mã chương trình", example: "cqtt-tuan"),
        Entry(pattern: "programmes.title", vi: "tên chương trình", example: "Chính quyền thân thiện, vì Nhân dân phục vụ"),
        Entry(pattern: "programmes.category", vi: "loại nội dung", example: "propaganda"),
        Entry(pattern: "programmes.priority", vi: "mức ưu tiên", example: "normal"),
        Entry(pattern: "programmes.audio", vi: "tệp âm thanh", example: "../Audio/thong-bao-mau.mp3"),
        Entry(pattern: "programmes.text", vi: "văn bản để đọc", example: "\"Thông báo của Ủy ban nhân dân xã ...\""),
        Entry(pattern: "programmes.relay", vi: "nguồn tiếp sóng", example: "[https://radio.tinh.gov.vn/fm.mp3]"),
        Entry(pattern: "programmes.duration", vi: "thời lượng", example: "2m30s"),
        Entry(pattern: "programmes.targets", vi: "nơi phát", example: "all"),
        Entry(pattern: "programmes.targets.hamlets", vi: "các thôn được phát", example: "[thon-dong, thon-doai]"),
        Entry(pattern: "programmes.targets.groups", vi: "các nhóm thôn được phát", example: "[ven-song]"),
        Entry(pattern: "programmes.repeat", vi: "cách lặp lại", example: "weekly"),
        Entry(pattern: "programmes.days", vi: "các ngày trong tuần", example: "[mon, thu]"),
        Entry(pattern: "programmes.day-of-month", vi: "ngày trong tháng", example: "15"),
        Entry(pattern: "programmes.date", vi: "ngày phát", example: "2026-12-01"),
        Entry(pattern: "programmes.from", vi: "ngày bắt đầu", example: "2026-11-30"),
        Entry(pattern: "programmes.until", vi: "ngày kết thúc", example: "2027-03-31"),
        Entry(pattern: "programmes.at", vi: "giờ phát cố định", example: "[17:10]"),
        Entry(pattern: "programmes.slots", vi: "các buổi phát", example: "[sang, chieu]"),
        Entry(pattern: "programmes.times-per-day", vi: "số lần phát mỗi ngày", example: "1"),
        Entry(pattern: "programmes.volume", vi: "âm lượng", example: "8"),
        Entry(pattern: "programmes.disclosure", vi: "thông tin công khai", example: "{item: 7, decision-date: 2026-11-23}"),
        Entry(pattern: "programmes.disclosure.item", vi: "mục công khai", example: "7"),
        Entry(pattern: "programmes.disclosure.decision-date", vi: "ngày ra quyết định", example: "2026-11-23"),
        Entry(
            pattern: "programmes.meeting", vi: "cuộc họp được thông báo",
            example: "{date: 2026-12-13, kind: dialogue-conference}"),
        Entry(pattern: "programmes.meeting.date", vi: "ngày họp", example: "2026-12-13"),
        Entry(pattern: "programmes.meeting.kind", vi: "loại cuộc họp", example: "dialogue-conference"),
        Entry(
            pattern: "notices", vi: "các tin niêm yết trên bảng tin",
            example: "[{id: cong-khai-du-toan, title: ..., category: disclosure, body: ..., from: 2026-12-01, until: 2026-12-30}]"),
        Entry(pattern: "notices.id", vi: "mã tin niêm yết", example: "cong-khai-du-toan-2027"),
        Entry(pattern: "notices.title", vi: "tiêu đề tin", example: "Công khai dự toán ngân sách xã năm 2027"),
        Entry(pattern: "notices.category", vi: "loại nội dung", example: "disclosure"),
        Entry(pattern: "notices.body", vi: "nội dung tin", example: "| (rồi các dòng nội dung, thụt vào)"),
        Entry(pattern: "notices.targets", vi: "nơi niêm yết", example: "all"),
        Entry(pattern: "notices.targets.hamlets", vi: "các thôn niêm yết", example: "[thon-dong, thon-doai]"),
        Entry(pattern: "notices.targets.groups", vi: "các nhóm thôn niêm yết", example: "[ven-song]"),
        Entry(pattern: "notices.from", vi: "ngày bắt đầu niêm yết", example: "2026-12-01"),
        Entry(pattern: "notices.until", vi: "ngày cuối niêm yết", example: "2026-12-30"),
        Entry(pattern: "notices.attachment", vi: "tệp đính kèm (ảnh PNG, JPEG hoặc PDF)", example: "../Tai-lieu/du-toan-2027.pdf"),
        Entry(pattern: "notices.disclosure", vi: "thông tin công khai", example: "{item: 2, decision-date: 2026-11-27}"),
        Entry(pattern: "notices.disclosure.item", vi: "mục công khai", example: "2"),
        Entry(pattern: "notices.disclosure.decision-date", vi: "ngày ra quyết định", example: "2026-11-27"),
    ]

    /// `programmes[2].disclosure.item` → `programmes.disclosure.item`.
    static func pattern(of field: String) -> String {
        var result = ""
        var inIndex = false
        for character in field {
            if character == "[" { inIndex = true } else if character == "]" { inIndex = false } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }

    /// The field names allowed directly inside the mapping at `field`, in guide order.
    static func fields(under field: String) -> [String] {
        let parent = pattern(of: field)
        let prefix = parent.isEmpty ? "" : parent + "."
        return entries.compactMap { entry in
            guard entry.pattern.hasPrefix(prefix) else { return nil }
            let rest = entry.pattern.dropFirst(prefix.count)
            return rest.contains(".") ? nil : String(rest)
        }
    }

    private static let byPattern = Dictionary(entries.map { ($0.pattern, $0) }, uniquingKeysWith: { first, _ in first })

    /// An example value for the field at `field`.
    static func example(for field: String) -> String? { byPattern[pattern(of: field)]?.example }

    /// What the field at `field` is, in Vietnamese.
    static func vietnameseName(for field: String) -> String? { byPattern[pattern(of: field)]?.vi }
}
