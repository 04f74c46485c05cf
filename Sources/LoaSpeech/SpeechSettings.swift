/// The speech section of the controller's settings: which engine reads text programmes.
///
/// ```json
/// "speech": {"engine": "espeak-ng", "voice": "vi", "rate": 150}
/// "speech": {"engine": "command", "command": ["piper", "--model", "/opt/voices/vi.onnx", "--output_file", "/dev/stdout"]}
/// ```
/// Without the section, eSpeak NG reads with its Vietnamese voice at its default rate.
public struct SpeechSettings: Sendable, Codable, Equatable {
    /// `espeak-ng` (the default) or `command`.
    public var engine: String?
    /// For `command`: the program and its arguments; it reads UTF-8 text on its standard
    /// input and writes WAV to its standard output.
    public var command: [String]?
    /// For `espeak-ng`: the voice (default `vi`).
    public var voice: String?
    /// For `espeak-ng`: words a minute, 80–450 (default 175).
    public var rate: Int?

    public init(engine: String? = nil, command: [String]? = nil, voice: String? = nil, rate: Int? = nil) {
        self.engine = engine
        self.command = command
        self.voice = voice
        self.rate = rate
    }

    /// The engine the settings describe.
    /// - Throws: ``SpeechError/invalidSettings(_:)`` naming the field at fault.
    public func makeEngine() throws -> any SpeechEngine {
        switch engine ?? "espeak-ng" {
        case "espeak-ng":
            if let rate, !(80...450).contains(rate) {
                throw SpeechError.invalidSettings("speech.rate \(rate) nằm ngoài 80–450 từ mỗi phút (speech.rate must be 80–450 words a minute)")
            }
            if command != nil {
                throw SpeechError.invalidSettings("speech.command chỉ dùng với \"engine\": \"command\" (speech.command needs \"engine\": \"command\")")
            }
            return EspeakNGEngine(voice: voice ?? "vi", rate: rate)
        case "command":
            if voice != nil || rate != nil {
                throw SpeechError.invalidSettings(
                    "speech.voice và speech.rate chỉ dùng với espeak-ng; với \"command\" hãy ghi chúng vào speech.command "
                        + "(voice and rate are for espeak-ng; put them in speech.command)")
            }
            return try CommandSpeechEngine(command: command ?? [])
        case let other:
            throw SpeechError.invalidSettings(
                "speech.engine '\(other)' không có; hãy ghi \"espeak-ng\" hoặc \"command\" (speech.engine must be \"espeak-ng\" or \"command\")")
        }
    }
}
