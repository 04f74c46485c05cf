/// Why audio bytes could not be decoded: says what is wrong and what would be right.
///
/// For example "WAV fmt chunk: 12-bit samples are not supported; use 8, 16, 24 or 32-bit PCM".
public struct AudioDecodingError: Error, CustomStringConvertible, Equatable {
    /// The explanation, meant for the person who supplied the file.
    public var description: String

    /// Makes an error with the given explanation.
    public init(_ description: String) {
        self.description = description
    }
}
