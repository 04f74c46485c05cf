#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The files a notice may show with its text: PNG and JPEG images and PDF
/// documents of at most 10 MB, recognised by their first bytes (never by a file
/// name or a claimed type). The schedule reader, the controller and the boards
/// all judge attachments by this one rule.
public enum NoticeAttachmentFormat {
    /// Largest attachment: a board fetches it over 4G.
    public static let maximumBytes = 10 * 1024 * 1024

    /// The content types accepted, for messages.
    public static let contentTypes = ["image/png", "image/jpeg", "application/pdf"]

    /// `image/png`, `image/jpeg` or `application/pdf` from the file's first bytes; nil for anything else.
    public static func contentType(of data: Data) -> String? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}
