import Foundation
import LoaDomain

/// Reads what a programme plays, `audio:`, `text:` or `relay:`, and how long it lasts:
/// measured from the audio, given / estimated for text, given for a relay.
struct ProgrammeContentReader {
    /// The folder audio paths are relative to (the schedule file's folder).
    let baseDirectory: String
    let audio: AudioLibrary

    /// Characters a Vietnamese text-to-speech voice reads in a second, for estimates.
    static let charactersPerSecond = 14

    func read(_ fields: MappingReader, into draft: inout ProgrammeDraft) {
        let given = fields.optional("duration")?.duration()
        let contents = ["audio", "text", "relay"].compactMap { fields.optional($0) }
            .sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) }
        guard let content = contents.first else {
            fields.value.log.error(
                "content-missing", at: fields.value.position, field: fields.value.field + ".audio",
                vi: "chương trình chưa có nội dung; hãy thêm tệp âm thanh, ví dụ: audio: ../Audio/thong-bao-mau.mp3, hoặc văn bản để đọc, ví dụ: text: \"Thông báo của Ủy ban nhân dân xã ...\", hoặc nguồn tiếp sóng, ví dụ: relay: [https://radio.tinh.gov.vn/fm.mp3]",
                en: "the programme has no content; add an audio file, e.g. audio: ../Audio/thong-bao-mau.mp3, a text to read, e.g. text: \"...\", or a stream to relay, e.g. relay: [https://radio.tinh.gov.vn/fm.mp3]")
            return
        }
        for extra in contents.dropFirst() {
            extra.error(
                "content-both",
                vi: "chỉ ghi một trong ba: audio (tệp âm thanh), text (văn bản đọc bằng giọng máy) hoặc relay (tiếp sóng); hãy xóa \(extra.key)",
                en: "write only one of audio (an audio file), text (read by text-to-speech) or relay (a live stream); remove \(extra.key)")
        }
        guard contents.count == 1 else { return }
        switch content.key {
        case "audio": readAudio(content, given: given, into: &draft)
        case "text": readText(content, given: given, into: &draft)
        default: readRelay(content, given: given, into: &draft)
        }
    }

    /// Upstream URLs a relay may list.
    static let mostRelaySources = 5
    /// The longest upstream URL.
    static let longestSourceURL = 512

    /// `relay:` one URL or a list, in order of preference; the window is its `duration`.
    private func readRelay(_ value: YAMLValue, given: Located<Int>?, into draft: inout ProgrammeDraft) {
        let entries = value.shapeKind == .list ? value.nonEmptyList() : [value]
        guard let entries else { return }
        var sources: [String] = []
        for entry in entries {
            guard let url = entry.text(atMost: Self.longestSourceURL) else { return }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                entry.error(
                    "relay-url",
                    vi: "'\(url)' không phải địa chỉ luồng phát http(s); hãy ghi địa chỉ đầy đủ, ví dụ https://radio.tinh.gov.vn/fm.mp3 (Icecast) hoặc .../playlist.m3u8 (HLS)",
                    en: "'\(url)' is not an http(s) stream address; write it in full, e.g. https://radio.tinh.gov.vn/fm.mp3 (Icecast) or .../playlist.m3u8 (HLS)")
                return
            }
            sources.append(url)
        }
        if sources.count > Self.mostRelaySources {
            value.error(
                "relay-too-many",
                vi: "tối đa \(Self.mostRelaySources) nguồn tiếp sóng (có \(sources.count)); hãy giữ các nguồn tin cậy nhất",
                en: "at most \(Self.mostRelaySources) relay sources (\(sources.count) given); keep the most reliable")
            return
        }
        draft.content = .relay(sources: sources)
        guard let given else {
            value.log.error(
                "relay-duration-missing", at: value.position, field: draft.field + ".duration",
                vi: "tiếp sóng cần thời lượng (thời gian tiếp sóng), ví dụ: duration: 30m",
                en: "a relay needs a duration (how long it is relayed), e.g. duration: 30m")
            return
        }
        draft.duration = given
    }

    private func readAudio(_ value: YAMLValue, given: Located<Int>?, into draft: inout ProgrammeDraft) {
        guard let path = value.text() else { return }
        let absolute = AudioLibrary.resolve(path, against: baseDirectory)
        switch audio.measure(absolute) {
        case .success(let media):
            draft.content = .audio(path: path, media: media)
            draft.audioFile = absolute
            let seconds = (media.durationMs + 999) / 1000
            draft.duration = value.located(seconds)
            if let given, abs(given.value * 1000 - media.durationMs) > 1000 {
                let measured = Self.seconds(media.durationMs)
                given.error(
                    value.log, "duration-mismatch",
                    vi: "tệp âm thanh dài \(measured.vi) giây nhưng duration ghi \(DurationText.text(given.value)); hãy sửa thành duration: \(DurationText.text(seconds)), hoặc xóa dòng duration (Loa tự đo tệp âm thanh)",
                    en: "the audio file lasts \(measured.en) s but duration says \(DurationText.text(given.value)); write duration: \(DurationText.text(seconds)), or remove the line (Loa measures audio itself)")
            }
        case .failure(let problem):
            report(problem, path: path, absolute: absolute, at: value)
        }
    }

    private func report(_ problem: AudioLibrary.Problem, path: String, absolute: String, at value: YAMLValue) {
        let folder = baseDirectory
        switch problem {
        case .missing, .notAFile:
            value.error(
                "audio-missing",
                vi: "không tìm thấy tệp âm thanh '\(path)' (đã tìm ở \(absolute)); đường dẫn tính từ thư mục chứa tệp lịch (\(folder)); hãy kiểm tra tên tệp và thư mục",
                en: "the audio file '\(path)' was not found (looked for \(absolute)); paths are relative to the schedule file's folder (\(folder)); check the name and folder")
        case .unreadable(let reason):
            value.error(
                "audio-unreadable",
                vi: "không mở được tệp âm thanh \(absolute) (\(reason)); hãy kiểm tra quyền đọc tệp",
                en: "cannot open the audio file \(absolute) (\(reason)); check that it can be read")
        case .undecodable(let reason):
            value.error(
                "audio-undecodable",
                vi: "tệp \(absolute) không phải là âm thanh Loa phát được (\(reason)); hãy xuất lại tệp ở dạng WAV hoặc MP3",
                en: "\(absolute) is not audio Loa can play (\(reason)); export it again as WAV or MP3")
        }
    }

    private func readText(_ value: YAMLValue, given: Located<Int>?, into draft: inout ProgrammeDraft) {
        guard let text = value.text(atMost: TextLimits.spokenText) else { return }
        draft.content = .text(text)
        value.warning(
            "text-to-speech",
            vi: "chương trình dạng văn bản được đọc bằng giọng máy (TTS) khi lịch được áp dụng, rồi phát như tệp âm thanh sau khi được phê duyệt; số, ngày, giờ và số tiền được đọc thành chữ (docs/speech.md); hãy nghe thử trước khi trình phê duyệt, hoặc thu âm rồi ghi audio: thay cho text: nếu muốn giọng người đọc",
            en: "a text programme is read by text-to-speech when the schedule is applied and airs like audio once approved; numbers, dates, times and amounts are read as words (docs/speech.md); listen to it before asking for approval, or record it and use audio: instead of text: for a human voice")
        if let given {
            draft.duration = given
            return
        }
        let estimate = max(1, (text.count + Self.charactersPerSecond - 1) / Self.charactersPerSecond)
        draft.duration = value.located(estimate)
        value.log.warning(
            "duration-estimated", at: value.position, field: draft.field + ".duration",
            vi: "chưa ghi thời lượng nên Loa ước tính \(DurationText.text(estimate)) theo độ dài văn bản (khoảng \(Self.charactersPerSecond) ký tự mỗi giây); nếu đã biết, hãy ghi, ví dụ: duration: \(DurationText.text(estimate))",
            en: "no duration given, so Loa estimates \(DurationText.text(estimate)) from the text's length (about \(Self.charactersPerSecond) characters a second); if you know it, write e.g. duration: \(DurationText.text(estimate))")
    }

    /// 7700 ms → "7,7" (Vietnamese) and "7.7".
    private static func seconds(_ milliseconds: Int) -> (vi: String, en: String) {
        let tenths = (milliseconds + 50) / 100
        return ("\(tenths / 10),\(tenths % 10)", "\(tenths / 10).\(tenths % 10)")
    }
}
