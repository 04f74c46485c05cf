import Foundation

/// The one form of HTTP `Range` (RFC 9110 §14) that receivers send to resume a download:
/// `bytes=FIRST-` or `bytes=FIRST-LAST`; a suffix (`bytes=-N`) too. Several ranges in one
/// header are not served as such: the whole file is (which the RFC allows).
struct ByteRange: Equatable {
    /// The first and last byte, both included.
    var first: Int
    var last: Int

    /// What a `Range` header asks of a file of `size` bytes.
    enum Request: Equatable {
        /// No header, or one that is ignored: the whole file, 200.
        case whole
        /// These bytes, 206 with `Content-Range: bytes FIRST-LAST/SIZE`.
        case part(ByteRange)
        /// Starts at or after the end: 416 with `Content-Range: bytes */SIZE`.
        case unsatisfiable
    }

    /// Reads `header` for a file of `size` bytes.
    static func request(_ header: String?, size: Int) -> Request {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst("bytes=".count)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return .whole }
        let first = Int(bounds[0].trimmingCharacters(in: .whitespaces))
        let last = Int(bounds[1].trimmingCharacters(in: .whitespaces))
        switch (first, last) {
        case (let first?, nil) where bounds[1].allSatisfy(\.isWhitespace):
            return first < size ? .part(ByteRange(first: first, last: size - 1)) : .unsatisfiable
        case (let first?, let last?) where first <= last:
            return first < size ? .part(ByteRange(first: first, last: min(last, size - 1))) : .unsatisfiable
        case (nil, let suffix?) where bounds[0].allSatisfy(\.isWhitespace) && suffix > 0:
            return size > 0 ? .part(ByteRange(first: max(0, size - suffix), last: size - 1)) : .unsatisfiable
        default:
            return .whole  // not a range this server understands: ignored, as the RFC allows
        }
    }
}
