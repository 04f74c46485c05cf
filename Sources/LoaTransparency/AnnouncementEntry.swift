public import Foundation
public import LoaDomain
import LoaProtocol

extension LogEntryEncoding {
    /// The fields of the log entry for an announcement the controller accepted:
    ///
    /// `type` = `announcement`; `id`, `title` (NFC), `category`, `priority` as
    /// stored; `hamlets` the target hamlet ids, sorted by byte order and joined
    /// with `,`; `startAt`, `createdAt` as RFC 3339 UTC with milliseconds;
    /// `durationMs` the audio's length, decimal; `mediaSha256` the audio's
    /// SHA-256, lowercase hex.
    public static func fields(announcement: Announcement) -> [(String, String)] {
        [
            ("type", "announcement"), ("id", announcement.id), ("title", announcement.title),
            ("category", announcement.category.rawValue), ("priority", announcement.priority.rawValue),
            ("hamlets", announcement.hamlets.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ",")),
            ("startAt", WireCoding.format(announcement.startAt)), ("durationMs", String(announcement.media.durationMs)),
            ("mediaSha256", announcement.media.sha256), ("createdAt", WireCoding.format(announcement.createdAt)),
        ]
    }

    /// The canonical entry bytes for an announcement.
    public static func encode(announcement: Announcement) -> Data {
        // The keys above are fixed and distinct, so encoding cannot fail.
        (try? encode(fields: fields(announcement: announcement))) ?? Data()
    }
}
