#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A message for a commune user: Vietnamese first, English second.
public struct LocalizedText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Vietnamese text (NFC), shown first.
    public var vi: String
    /// The English text, shown second.
    public var en: String

    public init(vi: String, en: String) {
        // The standard library's NFC: the same Unicode normal form as Foundation's
        // `precomposedStringWithCanonicalMapping`, without linking swift-corelibs
        // Foundation into a receiver.
        self.vi = String(decoding: vi._nfcCodeUnits, as: UTF8.self)
        self.en = en
    }

    /// `vi`, then `en` in parentheses.
    public var description: String { "\(vi) (\(en))" }
}
