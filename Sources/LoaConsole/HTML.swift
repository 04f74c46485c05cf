import LoaDomain

/// A piece of HTML. Strings interpolated into it are escaped; only other `HTML`
/// values go in as they are, so a page cannot carry unescaped user text by accident.
struct HTML: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }

    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    var description: String { text }

    /// Several pieces one after another.
    init(joining pieces: [HTML]) { text = pieces.map(\.text).joined() }

    struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: String) { text += value.htmlEscaped }
        mutating func appendInterpolation(_ value: some BinaryInteger) { text += "\(value)" }
        mutating func appendInterpolation(_ html: HTML) { text += html.text }
        mutating func appendInterpolation(_ pieces: [HTML]) { text += pieces.map(\.text).joined() }
        mutating func appendInterpolation(_ html: HTML?) { text += html?.text ?? "" }
    }
}
