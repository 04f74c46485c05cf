/// Why text could not be read aloud, Vietnamese first, with what to do.
public enum SpeechError: Error, Equatable, CustomStringConvertible {
    /// The engine's program is not installed (or not on `PATH`).
    case engineMissing(program: String)
    /// The engine ran but exited with an error or was killed.
    case engineFailed(program: String, status: Int32, message: String)
    /// The engine took longer than allowed and was stopped.
    case engineTimedOut(program: String, seconds: Int)
    /// The engine's output is not audio Loa can play.
    case invalidAudio(program: String, reason: String)
    /// The text has nothing to read.
    case emptyText
    /// The speech settings are wrong; the text names the field.
    case invalidSettings(String)
    /// The cache folder cannot be created or written.
    case cacheUnavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .engineMissing(let program):
            "không tìm thấy chương trình đọc văn bản '\(program)'; hãy cài đặt (apt-get install espeak-ng) "
                + "hoặc sửa mục speech trong tệp cấu hình (text-to-speech engine '\(program)' not found; "
                + "install it, e.g. apt-get install espeak-ng, or fix the speech section of the settings)"
        case .engineFailed(let program, let status, let message):
            "chương trình đọc văn bản '\(program)' báo lỗi (mã \(status)): \(message) "
                + "(text-to-speech engine '\(program)' failed with status \(status))"
        case .engineTimedOut(let program, let seconds):
            "chương trình đọc văn bản '\(program)' chạy quá \(seconds) giây nên đã bị dừng "
                + "(text-to-speech engine '\(program)' took longer than \(seconds) s and was stopped)"
        case .invalidAudio(let program, let reason):
            "chương trình đọc văn bản '\(program)' không trả về tệp WAV dùng được: \(reason) "
                + "(text-to-speech engine '\(program)' did not return usable WAV audio); it must write WAV to its standard output"
        case .emptyText:
            "văn bản trống, không có gì để đọc; hãy nhập nội dung thông báo (the text is empty; write the notice's text)"
        case .cacheUnavailable(let path, let reason):
            "không ghi được thư mục lưu giọng đọc \(path): \(reason); hãy kiểm tra quyền ghi "
                + "(cannot write the speech cache folder \(path); check its permissions)"
        case .invalidSettings(let problem):
            "cấu hình giọng đọc không hợp lệ (invalid speech settings): \(problem)"
        }
    }
}
