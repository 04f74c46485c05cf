import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

/// Mistakes inside a programme. The fixture's programme (p.yaml) reads:
///
///     1 programmes:
///     2   - id: tin-sang
///     3     title: Tin buổi sáng
///     4     category: news
///     5     audio: ../Audio/chime.wav
///     6     repeat: daily
///     7     slots: [sang]
@Suite("Mistakes in a programme")
struct ProgrammeMistakeTests {
    static let cases: [Mistake] = [
        Mistake(
            name: "a misspelt field, with the nearest known name",
            programmes: Mistake.programme("category: news", "catgory: news"),
            kind: "unknown-field", line: 4, column: 5, field: "programmes[1].catgory",
            advice: ["có phải ý bạn là 'category'?", "các trường dùng được: id, title, category"]),
        Mistake(
            name: "a missing title, pointed at the programme's start",
            programmes: Mistake.programme("    title: Tin buổi sáng\n", ""),
            kind: "missing-field", line: 2, column: 5, field: "programmes[1].title",
            advice: ["thiếu trường 'title'", "ví dụ: title: Chính quyền thân thiện"]),
        Mistake(
            name: "a title longer than every document can carry, with its length and the limit",
            programmes: Mistake.programme("title: Tin buổi sáng", "title: " + String(repeating: "Tin buổi sáng ", count: 30)),
            kind: "too-long", line: 3, column: 12, field: "programmes[1].title",
            advice: ["dài 419 ký tự; tối đa 200 ký tự", "hãy rút gọn"]),
        Mistake(
            name: "a single value where a list belongs",
            programmes: Mistake.programme("slots: [sang]", "slots: sang"),
            kind: "wrong-type", line: 7, column: 12, field: "programmes[1].slots",
            advice: ["cần một danh sách", "slots: [sang, chieu]"]),
        Mistake(
            name: "an id with diacritics and spaces, with an id to use instead",
            programmes: Mistake.programme("id: tin-sang", "id: Tin Sáng"),
            kind: "invalid-id", line: 2, column: 9, field: "programmes[1].id", advice: ["hãy dùng, ví dụ: tin-sang"]),
        Mistake(
            name: "two programmes with one id, naming the first",
            programmes: Fixture.programme + "\n" + Fixture.programme.split(separator: "\n").dropFirst().joined(separator: "\n"),
            kind: "duplicate-id", line: 8, column: 9, field: "programmes[2].id",
            advice: ["đã dùng cho một chương trình khác ở p.yaml:2:9", "mã riêng"]),
        Mistake(
            name: "a time that does not exist",
            programmes: Mistake.programme("slots: [sang]", "at: [25:00]"),
            kind: "invalid-time", line: 7, column: 10, field: "programmes[1].at[1]", advice: ["giờ:phút theo 24 giờ", "05:30"]),
        Mistake(
            name: "a time written the Vietnamese way, with the form to write",
            programmes: Mistake.programme("slots: [sang]", "at: [17h15]"),
            kind: "invalid-time", line: 7, column: 10, field: "programmes[1].at[1]", advice: ["ví dụ 17:15"]),
        Mistake(
            name: "29 February of a common year",
            programmes: Mistake.programme(adding: "from: 2027-02-29"),
            kind: "invalid-date", line: 8, column: 11, field: "programmes[1].from",
            advice: ["tháng 2 năm 2027 chỉ có 28 ngày", "từ 01 đến 28"]),
        Mistake(
            name: "a category in Vietnamese words, with the category meant",
            programmes: Mistake.programme("category: news", "category: tuyen-truyen"),
            kind: "unknown-category", line: 4, column: 15, field: "programmes[1].category",
            advice: ["có phải ý bạn là 'propaganda' (Tuyên truyền)?", "hãy dùng một trong: propaganda (Tuyên truyền), dialogue"]),
        Mistake(
            name: "an unknown priority",
            programmes: Mistake.programme(adding: "priority: khan-cap"),
            kind: "unknown-priority", line: 8, column: 15, field: "programmes[1].priority",
            advice: ["'emergency' (Khẩn cấp)", "normal (Thông thường), priority (Ưu tiên), emergency (Khẩn cấp)"]),
        Mistake(
            name: "a weekday written T7, with the weekday meant",
            programmes: Mistake.programme("repeat: daily", "repeat: weekly\n    days: [mon, t7]"),
            kind: "unknown-weekday", line: 7, column: 17, field: "programmes[1].days[2]",
            advice: ["có phải ý bạn là 'sat' (Thứ Bảy)?", "mon (Thứ Hai)", "mon-sat"]),
        Mistake(
            name: "an unknown repeat",
            programmes: Mistake.programme("repeat: daily", "repeat: weekley"),
            kind: "unknown-repeat", line: 6, column: 13, field: "programmes[1].repeat",
            advice: ["'weekly' (hằng tuần)", "once (một lần), daily (hằng ngày)"]),
        Mistake(
            name: "an unknown meeting kind",
            programmes: Mistake.programme(adding: "meeting: {date: 2026-12-13, kind: hop-dan}"),
            kind: "unknown-meeting-kind", line: 8, column: 39, field: "programmes[1].meeting.kind",
            advice: ["dialogue-conference (Hội nghị đối thoại)", "community (Họp cộng đồng dân cư)"]),
        Mistake(
            name: "a hamlet that is not declared, listing those that are",
            programmes: Mistake.programme(adding: "targets: {hamlets: [thon-tay]}"),
            kind: "unknown-hamlet", line: 8, column: 25, field: "programmes[1].targets.hamlets[1]",
            advice: ["hãy dùng một trong: thon-dong, thon-doai"]),
        Mistake(
            name: "a group that is not declared",
            programmes: Mistake.programme(adding: "targets: {groups: [ven-bien]}"),
            kind: "unknown-group", line: 8, column: 24, field: "programmes[1].targets.groups[1]",
            advice: ["không phải là nhóm thôn đã khai báo", "hãy dùng một trong: ven-song"]),
        Mistake(
            name: "targets written as a bare list",
            programmes: Mistake.programme(adding: "targets: [thon-dong]"),
            kind: "invalid-targets", line: 8, column: 14, field: "programmes[1].targets",
            advice: ["targets: all", "targets: {hamlets: [thon-dong, thon-doai]}"]),
        Mistake(
            name: "a slot that is not declared",
            programmes: Mistake.programme("slots: [sang]", "slots: [trua]"),
            kind: "unknown-slot", line: 7, column: 13, field: "programmes[1].slots[1]", advice: ["sang, chieu"]),
        Mistake(
            name: "an end date before the start date",
            programmes: Mistake.programme(adding: "from: 2026-12-10", "until: 2026-12-01"),
            kind: "until-before-from", line: 9, column: 12, field: "programmes[1].until", advice: ["từ 2026-12-10 trở đi"]),
        Mistake(
            name: "a single day outside its from–until range",
            programmes: Mistake.programme("repeat: daily", "repeat: once\n    date: 2026-12-05\n    from: 2026-12-10"),
            kind: "date-outside-range", line: 7, column: 11, field: "programmes[1].date", advice: ["hãy sửa date"]),
        Mistake(
            name: "a day field that does not go with the repeat",
            programmes: Mistake.programme(adding: "day-of-month: 5"),
            kind: "not-applicable", line: 8, column: 5, field: "programmes[1].day-of-month",
            advice: ["đổi thành repeat: monthly"]),
        Mistake(
            name: "both audio and text",
            programmes: Mistake.programme(adding: "text: Bà con chú ý"),
            kind: "content-both", line: 8, column: 11, field: "programmes[1].text", advice: ["chỉ ghi một trong ba", "hãy xóa text"]),
        Mistake(
            name: "a relay whose source is not a stream address",
            programmes: Mistake.programme("audio: ../Audio/chime.wav", "relay: [vov1.mp3]\n    duration: 30m"),
            kind: "relay-url", line: 5, column: 13, field: "programmes[1].relay[1]", advice: ["không phải địa chỉ luồng phát", "https://"]),
        Mistake(
            name: "a relay without a duration",
            programmes: Mistake.programme("audio: ../Audio/chime.wav", "relay: https://radio.tinh.gov.vn/fm.mp3"),
            kind: "relay-duration-missing", line: 5, column: 12, field: "programmes[1].duration", advice: ["duration: 30m"]),
        Mistake(
            name: "neither audio nor text",
            programmes: Mistake.programme("    audio: ../Audio/chime.wav\n", ""),
            kind: "content-missing", line: 2, column: 5, field: "programmes[1].audio",
            advice: ["audio: ../Audio/thong-bao-mau.mp3", "text:"]),
        Mistake(
            name: "an audio file that is not there, naming where it was looked for",
            programmes: Mistake.programme("../Audio/chime.wav", "../Audio/khong-co.mp3"),
            kind: "audio-missing", line: 5, column: 12, field: "programmes[1].audio",
            advice: [Fixture.root.appendingPathComponent("Audio/khong-co.mp3").standardizedFileURL.path, "hãy kiểm tra tên tệp"]),
        Mistake(
            name: "a file that is not audio",
            programmes: Mistake.programme("../Audio/chime.wav", "../README.md"),
            kind: "audio-undecodable", line: 5, column: 12, field: "programmes[1].audio", advice: ["WAV hoặc MP3"]),
        Mistake(
            name: "a duration that does not match the audio",
            programmes: Mistake.programme(adding: "duration: 2m"),
            kind: "duration-mismatch", line: 8, column: 15, field: "programmes[1].duration",
            advice: ["dài 1,5 giây", "duration: 2s", "xóa dòng duration"]),
        Mistake(
            name: "a duration that is not one",
            programmes: Mistake.programme(adding: "duration: hai phút"),
            kind: "invalid-duration", line: 8, column: 15, field: "programmes[1].duration", advice: ["2m30s"]),
        Mistake(
            name: "a volume above 10",
            programmes: Mistake.programme(adding: "volume: 11"),
            kind: "out-of-range", line: 8, column: 13, field: "programmes[1].volume", advice: ["từ 1 đến 10"]),
        Mistake(
            name: "a volume in words",
            programmes: Mistake.programme(adding: "volume: to"),
            kind: "invalid-number", line: 8, column: 13, field: "programmes[1].volume",
            advice: ["không phải là một số nguyên", "từ 1 đến 10"]),
        Mistake(
            name: "both fixed times and slots",
            programmes: Mistake.programme(adding: "at: [05:10]"),
            kind: "both-at-and-slots", line: 7, column: 5, field: "programmes[1].slots", advice: ["hãy xóa một"]),
        Mistake(
            name: "an emergency placed in slots",
            programmes: Mistake.programme(adding: "priority: emergency"),
            kind: "emergency-in-slots", line: 7, column: 12, field: "programmes[1].slots", advice: ["at: [06:00]"]),
        Mistake(
            name: "an emergency without fixed times",
            programmes: Mistake.programme("slots: [sang]", "priority: emergency"),
            kind: "emergency-needs-at", line: 2, column: 5, field: "programmes[1].at", advice: ["at: [06:00, 11:30]"]),
        Mistake(
            name: "a normal programme at a fixed time in the quiet hours, naming them",
            programmes: Mistake.programme("slots: [sang]", "at: [22:00]"),
            kind: "at-in-quiet-hours", line: 7, column: 10, field: "programmes[1].at[1]",
            advice: ["giờ yên tĩnh 21:30–05:00", "priority: emergency", "ví dụ 05:00"]),
        Mistake(
            name: "a fixed time outside every slot",
            programmes: Mistake.programme("slots: [sang]", "at: [10:00]"),
            kind: "at-outside-slots", severity: .warning, line: 7, column: 10, field: "programmes[1].at[1]",
            advice: ["sang 05:00–05:30", "chọn giờ trong một buổi"]),
        Mistake(
            name: "the 31st of each month",
            programmes: Mistake.programme("repeat: daily", "repeat: monthly\n    day-of-month: 31"),
            kind: "monthly-day-skipped", severity: .warning, line: 7, column: 19, field: "programmes[1].day-of-month",
            advice: ["từ 1 đến 28"]),
        Mistake(
            name: "more times a day than the slots listed",
            programmes: Mistake.programme(adding: "times-per-day: 2"),
            kind: "times-per-day-too-many", line: 8, column: 20, field: "programmes[1].times-per-day",
            advice: ["tối đa 1"]),
        Mistake(
            name: "weekly on a day without any slot",
            programmes: Mistake.programme("repeat: daily", "repeat: weekly\n    days: [sun]"),
            kind: "no-slot-on-day", line: 7, column: 11, field: "programmes[1].days",
            advice: ["Chủ nhật", "hãy chọn ngày có buổi phát"]),
        Mistake(
            name: "longer than the slot holds",
            programmes: Mistake.programme("audio: ../Audio/chime.wav", "text: Bản tin dài\n    duration: 20m"),
            kind: "too-long-for-slot", line: 6, column: 15, field: "programmes[1].duration",
            advice: ["sang: 15m", "hãy rút ngắn"]),
        Mistake(
            name: "a text programme waits for text-to-speech",
            programmes: Mistake.programme("audio: ../Audio/chime.wav", "text: Bà con chú ý"),
            kind: "text-to-speech", severity: .warning, line: 5, column: 11, field: "programmes[1].text",
            advice: ["khi lịch được áp dụng", "thu âm rồi ghi audio:"]),
        Mistake(
            name: "a text without duration is estimated",
            programmes: Mistake.programme("audio: ../Audio/chime.wav", "text: Bà con chú ý nghe thông báo"),
            kind: "duration-estimated", severity: .warning, line: 5, column: 11, field: "programmes[1].duration",
            advice: ["14 ký tự mỗi giây", "duration: 2s"]),
    ]

    @Test("each mistake is reported where it is, saying what would be right", arguments: cases)
    func mistake(_ mistake: Mistake) throws {
        try mistake.check()
    }

    @Test("a relay reads as its sources in order, for its duration")
    func relayReads() throws {
        let result = Fixture.load(programmes: Mistake.programme(
            "audio: ../Audio/chime.wav",
            "relay:\n      - https://str.vov.gov.vn/vov1/playlist.m3u8\n      - http://radio.tinh.gov.vn:8000/fm.mp3\n    duration: 15m"))
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered))")
        let programme = try #require(result.schedule?.programmes.first)
        #expect(programme.content == .relay(sources: ["https://str.vov.gov.vn/vov1/playlist.m3u8", "http://radio.tinh.gov.vn:8000/fm.mp3"]))
        #expect(programme.durationSeconds == 900)
    }
}
