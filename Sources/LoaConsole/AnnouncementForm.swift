import Foundation
import LoaController
import LoaDomain
import LoaStore

/// The new-announcement form's fields, read from a POST and written back into
/// the form, and the `ProgrammeDraft` they make.
struct AnnouncementForm: Sendable {
    var id = ""
    var title = ""
    var category = LoaDomain.Category.other
    var priority = PriorityClass.normal
    /// `text`, `audio` or `relay`.
    var kind = "text"
    var text = ""
    /// A relay's source URLs, one a line, and its length in minutes.
    var relaySources = ""
    var relayMinutes = ""
    var media = ""
    var audioName = ""
    var hamlets: Set<String> = []
    /// `once`, `daily` or `weekly`.
    var days = "once"
    var date = ""
    var from = ""
    var until = ""
    var weekdays: Set<Weekday> = []
    /// `at` or `slots`.
    var timing = "at"
    var times = ""
    var slots: Set<String> = []
    var perDay = ""
    var disclosureItem = ""
    var decisionDate = ""
    var meetingDate = ""
    var meetingKind = ""

    init() {}

    /// The fields of a posted form; hamlets, weekdays and slots are checkboxes named `hamlet-ID`, `wd-DAY`, `slot-ID`.
    init(_ form: WebForm, hamlets known: [String], slots knownSlots: [String]) {
        id = form["id"] ?? ""
        title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        category = form["category"].flatMap(LoaDomain.Category.init(rawValue:)) ?? .other
        priority = form["priority"].flatMap(PriorityClass.init(rawValue:)) ?? .normal
        kind = ["audio", "relay"].contains(form["kind"] ?? "") ? form["kind"]! : "text"
        relaySources = (form["relaySources"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        relayMinutes = (form["relayMinutes"] ?? "").trimmingCharacters(in: .whitespaces)
        text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        media = form["media"] ?? ""
        audioName = form["audioName"] ?? ""
        hamlets = Set(known.filter { form["hamlet-\($0)"] != nil })
        days = ["once", "daily", "weekly"].contains(form["days"] ?? "") ? form["days"]! : "once"
        date = form["date"] ?? ""
        from = form["from"] ?? ""
        until = form["until"] ?? ""
        weekdays = Set(Weekday.allCases.filter { form["wd-\($0.rawValue)"] != nil })
        timing = form["timing"] == "slots" ? "slots" : "at"
        times = form["times"] ?? ""
        slots = Set(knownSlots.filter { form["slot-\($0)"] != nil })
        perDay = form["perDay"] ?? ""
        disclosureItem = form["disclosureItem"] ?? ""
        decisionDate = form["decisionDate"] ?? ""
        meetingDate = form["meetingDate"] ?? ""
        meetingKind = form["meetingKind"] ?? ""
    }

    /// The draft, or what is wrong with the fields (Vietnamese first).
    func draft(controller: Controller, site hamletOrder: [String]) async throws -> (ProgrammeDraft?, [LocalizedText]) {
        var problems: [LocalizedText] = []
        func day(_ text: String, _ field: Phrase) -> LocalDate? {
            guard !text.isEmpty else { return nil }
            guard let value = DateField.parse(text) else {
                problems.append(LocalizedText(
                    vi: "\(field.text.vi): '\(text)' không phải ngày (ngày/tháng/năm, ví dụ 05/12/2026)",
                    en: "\(field.text.en): '\(text)' is not a date (dd/mm/yyyy, e.g. 05/12/2026)"))
                return nil
            }
            return value
        }
        let dayPattern: DayPattern
        switch days {
        case "daily": dayPattern = .daily
        case "weekly":
            if weekdays.isEmpty {
                problems.append(LocalizedText(vi: "Hằng tuần: chọn ít nhất một thứ", en: "weekly: choose at least one weekday"))
            }
            dayPattern = .weekly(weekdays)
        default:
            guard let once = day(date, .date) else {
                if date.isEmpty { problems.append(LocalizedText(vi: "Ngày: chưa chọn ngày phát", en: "date: choose the day it airs")) }
                return (nil, problems)
            }
            dayPattern = .once(once)
        }
        let airingTimes: AiringTimes
        if timing == "slots" {
            let count = perDay.isEmpty ? nil : Int(perDay)
            if !perDay.isEmpty, (count ?? 0) < 1 {
                problems.append(LocalizedText(vi: "Số lần mỗi ngày: nhập số từ 1", en: "times a day: give a number from 1"))
            }
            airingTimes = .inSlots(slots.sorted(), timesPerDay: count)
        } else {
            var parsed: [LocalTime] = []
            for part in times.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
                guard let time = LocalTime(text: Self.colonTime(String(part))) else {
                    problems.append(LocalizedText(
                        vi: "Giờ phát: '\(part)' không phải giờ (giờ:phút, ví dụ 06:30)", en: "times: '\(part)' is not a time (hh:mm, e.g. 06:30)"))
                    continue
                }
                parsed.append(time)
            }
            airingTimes = .at(parsed.sorted())
        }
        let recurrence = Recurrence(days: dayPattern, from: day(from, .from), until: day(until, .until), times: airingTimes)
        let content: ProgrammeContent
        var seconds: Int
        if kind == "audio" {
            let reference = await MediaReference.isSHA256(media) ? try controller.store.media(sha256: media) : nil
            content = .audio(path: audioName.isEmpty ? "console/\(media.prefix(12))" : audioName, media: reference)
            seconds = max(1, Int((Double(reference?.durationMs ?? 0) / 1000).rounded(.up)))
        } else if kind == "relay" {
            let sources = relaySources.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for source in sources where !Self.isStreamURL(source) {
                problems.append(LocalizedText(
                    vi: "Nguồn tiếp sóng: '\(source)' không phải địa chỉ http(s), ví dụ https://radio.tinh.gov.vn/fm.mp3",
                    en: "relay source: '\(source)' is not an http(s) address, e.g. https://radio.tinh.gov.vn/fm.mp3"))
            }
            if !(1...5).contains(sources.count) {
                problems.append(LocalizedText(vi: "Nguồn tiếp sóng: nhập từ 1 đến 5 địa chỉ, mỗi dòng một địa chỉ", en: "relay sources: give 1 to 5 addresses, one a line"))
            }
            let minutes = Int(relayMinutes) ?? 0
            if !(1...240).contains(minutes) {
                problems.append(LocalizedText(vi: "Thời lượng tiếp sóng: từ 1 đến 240 phút", en: "relay length: from 1 to 240 minutes"))
            }
            content = .relay(sources: sources)
            seconds = max(1, minutes) * 60
        } else {
            content = .text(text.precomposedStringWithCanonicalMapping)
            seconds = ProgrammeDraft.estimatedSeconds(reading: text)
        }
        var disclosure: Disclosure?
        if let item = Int(disclosureItem) {
            if !(1...14).contains(item) {
                problems.append(LocalizedText(vi: "Mục công khai: từ 1 đến 14", en: "disclosure item: from 1 to 14"))
            } else if let decided = day(decisionDate, .decisionDate) {
                disclosure = Disclosure(item: item, decisionDate: decided)
            } else {
                problems.append(LocalizedText(vi: "Công khai: cần ngày ra quyết định", en: "disclosure: give the decision date"))
            }
        }
        var meeting: MeetingNotice?
        if let kind = MeetingKind(rawValue: meetingKind) {
            if let held = day(meetingDate, .meetingDate) {
                meeting = MeetingNotice(date: held, kind: kind)
            } else {
                problems.append(LocalizedText(vi: "Thông báo họp: cần ngày họp", en: "meeting notice: give the meeting date"))
            }
        }
        problems += [
            TextLimits.problem(("Tiêu đề", "title"), title, limit: TextLimits.title),
            kind == "text" ? TextLimits.problem(("Nội dung", "text"), text, limit: TextLimits.spokenText) : nil,
        ].compactMap { $0 }
        if seconds < 1 { seconds = 1 }
        let draft = ProgrammeDraft(
            title: title.precomposedStringWithCanonicalMapping, category: category, priority: priority, content: content,
            durationSeconds: seconds, hamlets: hamletOrder.filter(hamlets.contains), recurrence: recurrence,
            disclosure: disclosure, meeting: meeting)
        return (draft, problems)
    }

    /// A time as officers write it in notices, "17h30" or "7h", in the form's "17:30" / "07:00".
    static func colonTime(_ text: String) -> String {
        let parts = text.lowercased().split(separator: "h", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let hour = Int(parts[0]), parts[1].isEmpty || Int(parts[1]) != nil else { return text }
        let minute = parts[1].isEmpty ? "00" : String(parts[1])
        return (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute.count == 1 ? "0" + minute : minute)
    }

    /// An http(s) address of at most 512 characters, with a host.
    static func isStreamURL(_ text: String) -> Bool {
        guard text.count <= 512, let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return ["http", "https"].contains(scheme) && url.host != nil
    }
}
