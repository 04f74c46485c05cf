#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaDomain
import LoaProtocol

/// Everything the board page is rendered from at one instant.
public struct BoardSnapshot: Sendable, Equatable {
    public var view: BoardView
    /// The commune's and the hamlet's names for the corner.
    public var communeName: String
    public var hamletName: String
    /// The receiver's clock.
    public var now: Date
    /// The site's offset from UTC at `now`, in seconds (dates and the clock are shown in it).
    public var utcOffsetSeconds: Int
    public var rotateSeconds: Double

    public init(view: BoardView, communeName: String, hamletName: String, now: Date, utcOffsetSeconds: Int, rotateSeconds: Double) {
        self.view = view
        self.communeName = communeName
        self.hamletName = hamletName
        self.now = now
        self.utcOffsetSeconds = utcOffsetSeconds
        self.rotateSeconds = rotateSeconds
    }

    /// The offset of `timeZone` (IANA; the document's, or `Asia/Ho_Chi_Minh`) at `instant`.
    public static func utcOffset(timeZone: String?, at instant: Date) -> Int {
        WallClock(siteTimeZone: timeZone).timeZone.secondsFromGMT(for: instant)
    }
}

/// `GET /board.json`: what the page refreshes from, and what a vendor's board may show.
struct BoardJSON: Encodable {
    /// `normal`, `emergency` (notice) or `emergency-audio`.
    var mode: String
    /// The title of the emergency audio playing, in `emergency-audio` mode.
    var audioTitle: String?
    /// The notices in rotation, in order.
    var notices: [BoardNotice]
    /// The receiver's clock, in milliseconds since 1970, and the site's UTC offset in seconds.
    var nowMs: Int64
    var utcOffsetSeconds: Int
    var rotateSeconds: Double
    /// The rendered screen (`#stage`) and a hash of it, so the page replaces it only when it changed.
    var stage: String
    var signature: String

    init(_ snapshot: BoardSnapshot) {
        switch snapshot.view.takeover {
        case .none: mode = "normal"
        case .emergencyNotice: mode = "emergency"
        case .emergencyAudio(let title):
            mode = "emergency-audio"
            audioTitle = title
        }
        notices = snapshot.view.notices
        nowMs = Int64((snapshot.now.timeIntervalSince1970 * 1000).rounded())
        utcOffsetSeconds = snapshot.utcOffsetSeconds
        rotateSeconds = snapshot.rotateSeconds
        stage = BoardPage.stage(snapshot)
        signature = BoardPage.signature(of: stage)
    }
}
