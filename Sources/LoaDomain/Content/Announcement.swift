#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One piece of audio an officer sends to hamlets at a set instant.
public struct Announcement: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    /// A short title, in Vietnamese, shown in logs and reports.
    public var title: String
    public var category: Category
    public var priority: PriorityClass
    /// The audio to play.
    public var media: MediaReference
    /// Ids of the hamlets that play it.
    public var hamlets: [String]
    /// The instant the first frame airs.
    public var startAt: Date
    /// When the controller accepted it.
    public var createdAt: Date

    public init(
        id: String, title: String, category: Category, priority: PriorityClass, media: MediaReference,
        hamlets: [String], startAt: Date, createdAt: Date
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.priority = priority
        self.media = media
        self.hamlets = hamlets
        self.startAt = startAt
        self.createdAt = createdAt
    }
}
