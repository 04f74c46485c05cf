import Foundation

/// CSV as RFC 4180 says: fields separated by commas, records ended by CRLF, a
/// field quoted when it holds a comma, a double quote, CR or LF, with its double
/// quotes doubled. The text is UTF-8 (Vietnamese as is), without a byte-order mark.
public enum CSV {
    /// The CSV text of a header record followed by the records.
    public static func render(header: [String], records: [[String]]) -> String {
        ([header] + records).map { record in record.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field, quoted when it must be.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
