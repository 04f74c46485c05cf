extension StringProtocol {
    /// The text without the white space and line breaks around it (a key file's last
    /// line feed, an officer's spaces around a time), as `trimmingCharacters(in: .whitespacesAndNewlines)` gives, without
    /// Foundation's `NSString` underneath, which a receiver does not link.
    public var withoutSurroundingWhitespace: String {
        var text = self[...].drop { $0.isWhitespace }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
