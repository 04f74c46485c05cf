/// Reads a `Transfer-Encoding: chunked` body as it arrives, in pieces of any size.
struct ChunkedBodyDecoder {
    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private var state = State.sizeLine
    private var line: [UInt8] = []
    /// The longest chunk-size or trailer line read.
    static let lineLimit = 1024

    /// True once the last chunk and the trailers have been read.
    var isDone: Bool {
        if case .done = state { true } else { false }
    }

    /// Appends the body bytes in `input` to `output`; bytes after the end are ignored.
    /// - Throws: a description of what is wrong with the framing.
    mutating func decode(_ input: ArraySlice<UInt8>, into output: inout [UInt8]) throws(ChunkedFramingError) {
        var index = input.startIndex
        while index < input.endIndex {
            switch state {
            case .done:
                return
            case .data(let remaining):
                let take = min(remaining, input.endIndex - index)
                output += input[index..<(index + take)]
                index += take
                state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
            case .sizeLine, .dataEnd, .trailers:
                let byte = input[index]
                index += 1
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    guard line.count <= Self.lineLimit else { throw ChunkedFramingError(reason: "a chunk line is over \(Self.lineLimit) bytes") }
                    continue
                }
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                defer { line.removeAll(keepingCapacity: true) }
                try endOfLine()
            }
        }
    }

    private mutating func endOfLine() throws(ChunkedFramingError) {
        switch state {
        case .sizeLine:
            let digits = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self).trimmingSpaces()
            guard !digits.isEmpty, digits.count <= 15, let size = Int(digits, radix: 16), size >= 0 else {
                throw ChunkedFramingError(reason: "the chunk size \"\(digits.prefix(40))\" is not hexadecimal")
            }
            state = size == 0 ? .trailers : .data(remaining: size)
        case .dataEnd:
            guard line.isEmpty else { throw ChunkedFramingError(reason: "a chunk's data is longer than its size") }
            state = .sizeLine
        case .trailers:
            if line.isEmpty { state = .done }
        case .data, .done:
            break
        }
    }
}

/// A chunked body whose framing is broken.
struct ChunkedFramingError: Error {
    let reason: String
}
