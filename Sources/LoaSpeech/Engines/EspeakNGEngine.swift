public import Foundation

/// eSpeak NG (`espeak-ng -v vi --stdout --stdin`): small, in Debian, understandable
/// but robotic. The default engine.
public struct EspeakNGEngine: SpeechEngine {
    /// The program, found on `PATH` when it has no slash.
    public var program: String
    /// The eSpeak NG voice, `vi` for Vietnamese.
    public var voice: String
    /// Words a minute (`-s`); eSpeak's default (175) when nil.
    public var rate: Int?

    public init(program: String = "espeak-ng", voice: String = "vi", rate: Int? = nil) {
        self.program = program
        self.voice = voice
        self.rate = rate
    }

    /// The command line after the program: text from standard input, WAV to standard output.
    public var arguments: [String] {
        ["-v", voice] + (rate.map { ["-s", String($0)] } ?? []) + ["--stdout", "--stdin"]
    }

    public var identity: String { ([program] + arguments).joined(separator: " ") }

    public func synthesise(_ text: String) async throws -> Data {
        try await SpeechCommand(program: program, arguments: arguments).run(input: text)
    }
}
