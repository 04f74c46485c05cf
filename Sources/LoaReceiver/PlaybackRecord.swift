#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain
import LoaProtocol
import LoaFiles

/// The item sounding now, kept in a small file of its own (`playing.json`) while it
/// plays: written when the first frame leaves and about every second after, removed when
/// the playback ends. A receiver killed mid-play finds it at restart and reports what
/// happened — started, then interrupted after at least `playedMs` — never "missed".
struct PlaybackRecord: Codable, Equatable {
    /// The scheduled item's id.
    var item: String
    /// Its scheduled instant.
    var startAt: Date
    /// When its first frame left the sound card.
    var measuredStart: Date
    /// How much had played at the last write.
    var playedMs: Int
    /// The audio's length.
    var durationMs: Int

    /// How often the record is rewritten while playing.
    static let interval: TimeInterval = 1

    static func load(from url: URL) -> PlaybackRecord? {
        (try? Data(contentsOf: url)).flatMap { try? WireCoding.decode(PlaybackRecord.self, from: $0) }
    }

    /// Writes it durably (`DurableFile`); a few dozen bytes.
    func save(to url: URL) throws {
        try DurableFile.write(WireCoding.encode(self), to: url)
    }

    static func remove(at url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Why the item stopped, for the `failed` event (Vietnamese first): at least what
    /// the record says, at most what fits between the start and `now` (the restart).
    func interruptionReason(now: Date) -> String {
        let most = min(durationMs, max(playedMs, Int(now.timeIntervalSince(measuredStart) * 1000)))
        let span = (Double(playedMs) / 1000).fixedDecimals(1) + "–" + (Double(most) / 1000).fixedDecimals(1)
        return "bị ngắt: máy thu dừng khi đang phát (mất điện hoặc khởi động lại), đã phát \(span) giây "
            + "(interrupted: the receiver stopped while playing, after \(span) s)"
    }
}
