public import LoaDomain

/// The fingerprint of a notice's content (title, body, days, hamlets, attachment,
/// disclosure), against which approvals are recorded, as `ProgrammeDigest` is for
/// programmes: an unchanged notice keeps its approvals in later schedule versions,
/// a changed one needs new ones. Ids are unique across programmes and notices, so
/// both kinds of approval live side by side.
public enum NoticeDigest {
    /// Lowercase hex SHA-256 of the notice's canonical JSON (`CanonicalJSON`).
    public static func of(_ notice: Notice) -> String { ContentDigest.of(notice) }
}
