public import Foundation
public import LoaDomain

/// One-off announcements (`loa announce`, the console's announcement page).
public protocol AnnouncementStore: Sendable {
    /// Stores a new announcement; it is appended to the transparency log in the same transaction.
    func insert(_ announcement: Announcement) async throws
    /// The announcements whose start is inside `range`, earliest first, each with the
    /// hamlets it is for: one read for all the hamlets of a round of documents.
    func announcements(startingIn range: ClosedRange<Date>) async throws -> [Announcement]
    /// The announcement with this id, if any.
    func announcement(id: String) async throws -> Announcement?
}
