import Foundation
import LoaProtocol
import LoaStore

/// Decides whether an event a device sent may be believed: checked against what
/// that device's hamlet was sent (`SentItem`), with bounded sizes, instants and
/// figures. Pure: the facts are looked up by the caller.
struct EventAdmission {
    /// The controller's site.
    var site: String
    /// The site's hamlets.
    var hamlets: Set<String>
    /// The hamlet the device registry gives each device. A device that is not in it
    /// (a development broker without accounts) may report for any hamlet of the site.
    var registeredHamlets: [String: String]

    /// How far a device's clock may be from the controller's.
    static let clockTolerance: TimeInterval = 15 * 60
    /// How much longer than its audio a play may report (rounding, resampling).
    static let playedSlackMs = 5_000
    /// A notice's `still-displayed` event covers the hour before it.
    static let stillDisplayedSpan: TimeInterval = 3600

    /// A refusal with the check that failed, in words naming the field and what would be right.
    struct Refusal: Equatable, Error {
        var reason: EventRefusal
        var detail: String
    }

    /// The first check `event` fails, or nil when it may be stored.
    /// - Parameters:
    ///   - topicDevice: the device on whose topic it came.
    ///   - sent: what the controller sent to `event.zone` under `event.item`, if anything.
    ///   - receivedAt: the controller's clock when it came.
    func refusal(of event: DeviceEvent, topicDevice: String, sent: SentItem?, receivedAt: Date) -> Refusal? {
        if let problem = Self.sizeProblem(event) { return Refusal(reason: .oversized, detail: problem) }
        if let problem = Self.textProblem(event) { return Refusal(reason: .malformed, detail: problem) }
        guard event.device == topicDevice else {
            return Refusal(reason: .wrongDevice, detail: "device '\(event.device)' came on the topic of '\(topicDevice)'")
        }
        guard event.site == site else {
            return Refusal(reason: .wrongSite, detail: "site '\(event.site)' is not this controller's site '\(site)'")
        }
        if let registered = registeredHamlets[event.device], registered != event.zone {
            return Refusal(reason: .wrongHamlet, detail: "zone '\(event.zone)': the registry puts \(event.device) in '\(registered)'")
        }
        guard hamlets.contains(event.zone) else {
            return Refusal(reason: .wrongHamlet, detail: "zone '\(event.zone)' is not a hamlet of site '\(site)'")
        }
        guard let sent else {
            return Refusal(reason: .unknownItem, detail: "item '\(event.item)' was never sent to hamlet '\(event.zone)'")
        }
        let isBoardKind = [.displayed, .stillDisplayed, .takenDown].contains(event.kind)
        guard isBoardKind == (sent.kind == .notice) else {
            return Refusal(reason: .wrongKind, detail: "kind '\(event.kind.rawValue)' does not apply to \(sent.kind.rawValue) '\(sent.item)'")
        }
        return timeProblem(event, sent: sent, receivedAt: receivedAt) ?? figureProblem(event, sent: sent)
    }

    /// A text field holding U+0000, which no stored text may hold (PostgreSQL refuses it:
    /// the whole batch would fail, again at every resend).
    static func textProblem(_ event: DeviceEvent) -> String? {
        for (name, value) in [("id", event.id), ("reason", event.reason ?? "")] where holdsNUL(value) {
            return "\(name) contains the character U+0000, which no text may hold"
        }
        return nil
    }

    /// Whether an event's id can be stored (with its refusal) and named in a receipt:
    /// within its length and free of U+0000.
    static func isStorable(id: String) -> Bool { id.count <= DeviceEvent.Limits.idCharacters && !holdsNUL(id) }

    private static func holdsNUL(_ text: String) -> Bool { text.unicodeScalars.contains("\u{0}") }

    /// Empty or over-long fields (`DeviceEvent.Limits`).
    static func sizeProblem(_ event: DeviceEvent) -> String? {
        typealias Limits = DeviceEvent.Limits
        if event.id.isEmpty { return "id is empty; a receiver gives every event a unique id" }
        let fields: [(String, String, Int)] = [
            ("id", event.id, Limits.idCharacters), ("device", event.device, Limits.nameCharacters),
            ("site", event.site, Limits.nameCharacters), ("zone", event.zone, Limits.nameCharacters),
            ("item", event.item, Limits.itemCharacters), ("reason", event.reason ?? "", Limits.reasonCharacters),
        ]
        for (name, value, limit) in fields where value.count > limit {
            return "\(name) is \(value.count) characters long; at most \(limit)"
        }
        return nil
    }

    /// Instants outside what the device can have seen.
    private func timeProblem(_ event: DeviceEvent, sent: SentItem, receivedAt: Date) -> Refusal? {
        let tolerance = Self.clockTolerance
        let latest = receivedAt.addingTimeInterval(tolerance)
        var earliest = sent.firstSentAt.addingTimeInterval(-tolerance)
        // Playing, finishing and missing happen at or after the instant; a board shows a notice in its period.
        switch event.kind {
        case .started, .finished, .preempted, .missed, .displayed, .stillDisplayed, .interrupted, .resumed:
            earliest = max(earliest, sent.startAt.addingTimeInterval(-tolerance))
        case .received, .ready, .failed, .takenDown, .cancelled:
            break
        }
        let stamp = Self.stamp
        guard event.at >= earliest, event.at <= latest else {
            return Refusal(
                reason: .implausibleTime,
                detail: "at \(stamp(event.at)) lies outside \(stamp(earliest))…\(stamp(latest)) (sent, instant and arrival, ±\(Int(tolerance / 60)) min)")
        }
        if event.kind == .stillDisplayed, event.at > sent.endAt.addingTimeInterval(Self.stillDisplayedSpan + tolerance) {
            return Refusal(reason: .implausibleTime, detail: "at \(stamp(event.at)) is after the notice's period ended at \(stamp(sent.endAt))")
        }
        // A relay sounds again (`resumed`) anywhere in its window.
        if let measured = event.measuredStartAt,
            measured < sent.startAt.addingTimeInterval(-tolerance) || measured > max(sent.startAt, sent.endAt).addingTimeInterval(tolerance)
                || measured > latest
        {
            return Refusal(
                reason: .implausibleTime,
                detail: "measuredStartAt \(stamp(measured)) is not within \(Int(tolerance / 60)) min of the item's time \(stamp(sent.startAt))…\(stamp(sent.endAt))")
        }
        return nil
    }

    /// Figures the item does not allow.
    private func figureProblem(_ event: DeviceEvent, sent: SentItem) -> Refusal? {
        if let played = event.playedMs {
            let most = (sent.durationMs ?? 0) + Self.playedSlackMs
            guard played >= 0, sent.durationMs == nil || sent.durationMs == 0 || played <= most else {
                return Refusal(reason: .implausibleFigure, detail: "playedMs \(played) is not within 0…\(most) (the audio lasts \(sent.durationMs ?? 0) ms)")
            }
        }
        if let offset = event.startOffsetMs {
            let most = Self.clockTolerance * 1000
            guard offset.isFinite, abs(offset) <= most else {
                return Refusal(reason: .implausibleFigure, detail: "startOffsetMs \(offset) is not within ±\(Int(most))")
            }
        }
        if event.soundHeard != nil || event.soundScore != nil {
            guard [.finished, .preempted].contains(event.kind), event.soundHeard != nil, let score = event.soundScore,
                score.isFinite, (0...1).contains(score)
            else {
                return Refusal(
                    reason: .implausibleFigure,
                    detail: "soundHeard and soundScore come together, with 'finished' or 'preempted' only, the score within 0…1")
            }
        }
        if event.clockOffsetMs != nil || event.clockUncertaintyMs != nil {
            guard event.kind == .started, event.clockOffsetMs != nil, event.clockUncertaintyMs != nil,
                ClockOffsetEstimate.isPlausible(offsetMs: event.clockOffsetMs, uncertaintyMs: event.clockUncertaintyMs)
            else {
                return Refusal(
                    reason: .implausibleFigure,
                    detail: "clockOffsetMs and clockUncertaintyMs come together, with 'started' only, within ±\(Int(ClockOffsetEstimate.largestOffsetMs)) and 0…\(Int(ClockOffsetEstimate.largestUncertaintyMs))")
            }
        }
        return nil
    }

    private static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
