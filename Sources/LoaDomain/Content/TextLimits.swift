/// The longest texts Loa takes, in characters, wherever they are written (schedule
/// files, the API, the console, the CLI): what travels in a hamlet's schedule document
/// must fit the 256 KiB a receiver accepts with room for a day's airings and notices.
public enum TextLimits {
    /// A programme's, announcement's or notice's title: read on the board and in the log.
    public static let title = 200
    /// A notice's body on the boards.
    public static let noticeBody = 16_000
    /// A text programme's words, read by text-to-speech (about half an hour of speech).
    public static let spokenText = 20_000

    /// What is wrong with `text` as the field named `field` (Vietnamese, English), or
    /// nil when it is at most `limit` characters.
    public static func problem(_ field: (vi: String, en: String), _ text: String, limit: Int) -> LocalizedText? {
        guard text.count > limit else { return nil }
        return LocalizedText(
            vi: "\(field.vi): \(text.count) ký tự; tối đa \(limit)", en: "\(field.en): \(text.count) characters; at most \(limit)")
    }
}
