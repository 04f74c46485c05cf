public import Foundation

/// Any program that reads UTF-8 text on its standard input and writes a WAV file to
/// its standard output, given by its command line in the settings, e.g.
/// `["piper", "--model", "/opt/voices/vi_VN-vais1000-medium.onnx", "--output_file", "/dev/stdout"]`.
///
/// The command runs directly (no shell), so its arguments need no quoting.
public struct CommandSpeechEngine: SpeechEngine {
    /// The program (found on `PATH` when it has no slash) and its arguments.
    public var command: [String]

    /// - Throws: ``SpeechError/invalidSettings(_:)`` when `command` is empty.
    public init(command: [String]) throws {
        guard let first = command.first, !first.isEmpty else {
            throw SpeechError.invalidSettings(
                "speech.command trống; hãy ghi chương trình và các tham số, ví dụ [\"piper\", \"--model\", \"vi.onnx\", \"--output_file\", \"/dev/stdout\"] "
                    + "(speech.command is empty; give the program and its arguments)")
        }
        self.command = command
    }

    public var identity: String { command.joined(separator: " ") }

    public func synthesise(_ text: String) async throws -> Data {
        try await SpeechCommand(program: command[0], arguments: Array(command.dropFirst())).run(input: text)
    }
}
