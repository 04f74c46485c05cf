import Foundation

/// A message for a commune user: Vietnamese first, English second.
public struct LocalizedText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Vietnamese text (NFC), shown first.
    public var vi: String
    /// The English text, shown second.
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi.precomposedStringWithCanonicalMapping
        self.en = en
    }

    /// `vi`, then `en` in parentheses.
    public var description: String { "\(vi) (\(en))" }
}
