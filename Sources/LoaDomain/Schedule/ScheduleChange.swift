/// What applying a schedule changed against the version before it.
public struct ScheduleChange: Sendable, Equatable, Codable {
    /// The version just stored.
    public var version: Int
    /// The version it replaced; nil for the first.
    public var previousVersion: Int?
    /// Programme ids new in this version, in schedule order.
    public var added: [String]
    /// Programme ids of the previous version that are gone.
    public var removed: [String]
    /// Programme ids in both whose content (its digest) differs: they need approval again.
    public var changed: [String]
    /// Programme ids in both, unchanged: they keep their approvals.
    public var unchanged: [String]
    /// Notice ids new in this version, in schedule order.
    public var noticesAdded: [String]
    /// Notice ids of the previous version that are gone (their boards take them down).
    public var noticesRemoved: [String]
    /// Notice ids in both whose content (its digest) differs: they need approval again.
    public var noticesChanged: [String]
    /// Notice ids in both, unchanged: they keep their approvals.
    public var noticesUnchanged: [String]
    /// True when the site settings (slots, quiet hours, volume, holidays, …) differ.
    public var siteSettingsChanged: Bool
    public var hamletsAdded: [String]
    public var hamletsRemoved: [String]
    /// Programme and notice ids of this version that may not air (be posted) yet: not (enough) approved.
    public var awaitingApproval: [String]

    /// The change from `previous` (nil: nothing before) to `current`, a programme or notice
    /// counting as changed when its content digest differs (the store passes
    /// `ProgrammeDigest.of` and `NoticeDigest.of`, the digests approvals hold for).
    public init(
        version: Int, previousVersion: Int?, from previous: BroadcastSchedule?, to current: BroadcastSchedule,
        programmeDigest: (Programme) -> String, noticeDigest: (Notice) -> String
    ) {
        self.version = version
        self.previousVersion = previousVersion
        let programmes = DigestComparison(
            before: (previous?.programmes ?? []).map { ($0.id, programmeDigest($0)) },
            after: current.programmes.map { ($0.id, programmeDigest($0)) })
        (added, changed, unchanged, removed) = (programmes.added, programmes.changed, programmes.unchanged, programmes.removed)
        let notices = DigestComparison(
            before: (previous?.notices ?? []).map { ($0.id, noticeDigest($0)) },
            after: current.notices.map { ($0.id, noticeDigest($0)) })
        noticesAdded = notices.added
        noticesChanged = notices.changed
        noticesUnchanged = notices.unchanged
        noticesRemoved = notices.removed
        siteSettingsChanged = previous.map { $0.site != current.site } ?? false
        let hamletsBefore = Set((previous?.hamlets ?? []).map(\.id))
        let hamletsNow = Set(current.hamlets.map(\.id))
        hamletsAdded = previous == nil ? [] : current.hamlets.map(\.id).filter { !hamletsBefore.contains($0) }
        hamletsRemoved = (previous?.hamlets ?? []).map(\.id).filter { !hamletsNow.contains($0) }
        awaitingApproval = []
    }
}

/// Ids sorted into added, changed, unchanged and removed by their content digests.
struct DigestComparison {
    var added: [String] = []
    var changed: [String] = []
    var unchanged: [String] = []
    var removed: [String] = []

    /// `before` and `after` are (id, digest) pairs in schedule order.
    init(before: [(id: String, digest: String)], after: [(id: String, digest: String)]) {
        let old = Dictionary(before.map { ($0.id, $0.digest) }, uniquingKeysWith: { first, _ in first })
        for (id, digest) in after {
            switch old[id] {
            case nil: added.append(id)
            case digest: unchanged.append(id)
            default: changed.append(id)
            }
        }
        let now = Set(after.map(\.id))
        removed = before.map(\.id).filter { !now.contains($0) }
    }
}
