#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaProtocol

/// What a notice board shows at one instant.
public struct BoardView: Sendable, Equatable {
    /// What owns the screen.
    public enum Takeover: Sendable, Equatable {
        /// The normal rotation.
        case none
        /// One or more emergency notices are shown: only they rotate, on red.
        case emergencyNotice
        /// An emergency audio item is playing on this device's speaker (its title).
        case emergencyAudio(title: String)
    }

    /// The notices in rotation, in the order shown.
    public var notices: [BoardNotice]
    public var takeover: Takeover

    public init(notices: [BoardNotice], takeover: Takeover) {
        self.notices = notices
        self.takeover = takeover
    }

    /// True when something has taken over the screen from the normal rotation.
    public var isTakenOver: Bool { takeover != .none }
}

/// Which notices a board shows, and how: pure, from the document's notices and the time.
///
/// - Only notices within `showFrom ..< showUntil` are shown.
/// - Emergency notices take the screen over: while one is shown, nothing else rotates.
/// - While an emergency audio item plays on this device, the screen shows it (and any
///   emergency notice), and no normal notice.
/// - Otherwise the newest posting comes first (later `showFrom`), then by title and id, so
///   the order is stable from one refresh to the next.
public enum BoardState {
    /// The board at `instant`.
    /// - Parameter playingEmergency: the title of an emergency audio item playing now, if any.
    public static func view(of notices: [BoardNotice], at instant: Date, playingEmergency: String? = nil) -> BoardView {
        let shown = notices.filter { $0.isShown(at: instant) }.sorted(by: rotationOrder)
        let emergencies = shown.filter(\.takesOverScreen)
        if let playingEmergency {
            return BoardView(notices: emergencies, takeover: .emergencyAudio(title: playingEmergency))
        }
        if !emergencies.isEmpty { return BoardView(notices: emergencies, takeover: .emergencyNotice) }
        return BoardView(notices: shown, takeover: .none)
    }

    private static func rotationOrder(_ lhs: BoardNotice, _ rhs: BoardNotice) -> Bool {
        if lhs.showFrom != rhs.showFrom { return lhs.showFrom > rhs.showFrom }
        if lhs.title != rhs.title { return lhs.title < rhs.title }
        return lhs.id < rhs.id
    }
}
