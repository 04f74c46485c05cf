/// Whether a microphone heard the speaker, from a ``SoundMatch``: the played sound must
/// be found clearly (its normalised correlation at least ``minimumScore``, standing
/// ``minimumSnrDb`` above the correlation elsewhere), and, when the installation's own
/// test gave a baseline, not much weaker than then (``largestDropDb``).
public enum SpeakerCheck {
    /// What the microphone tells of the speaker.
    public enum Verdict: String, Sendable, Codable {
        case heard
        case notHeard = "not-heard"
    }

    /// The least peak correlation taken as the sound: chance peaks of a few seconds of
    /// noise stay below 0.1.
    public static let minimumScore = 0.3
    /// The least height of the peak above the rest, in decibels.
    public static let minimumSnrDb = 12.0
    /// How much weaker than at installation the sound may stand out, in decibels.
    public static let largestDropDb = 20.0

    /// The verdict on `match` (nil: nothing to match, as good as not heard).
    public static func judge(_ match: SoundMatch?, baseline: SoundMatch? = nil) -> Verdict {
        guard let match, match.score >= minimumScore, match.snrDb >= minimumSnrDb else { return .notHeard }
        if let baseline, match.snrDb < baseline.snrDb - largestDropDb { return .notHeard }
        return .heard
    }
}
