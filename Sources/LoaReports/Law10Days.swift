import Foundation
import LoaDomain
import LoaProtocol

/// The local days (site time zone) on which each programme or notice was carried,
/// per hamlet and channel, read from the log's device events: `displayed` and
/// `still-displayed` on the boards (item `notice@hamlet`), `started` and
/// `finished` on the loudspeakers (item `programme@date/slot@hamlet`).
struct Law10Days {
    /// Source id (programme or notice) → hamlet → days.
    var board: [String: [String: Set<LocalDate>]] = [:]
    var loudspeaker: [String: [String: Set<LocalDate>]] = [:]

    init(events: [DeviceEvent], clock: WallClock) {
        for event in events {
            guard let source = event.item.split(separator: "@", maxSplits: 1).first.map(String.init) else { continue }
            let day = clock.local(event.at).date
            switch event.kind {
            case .displayed, .stillDisplayed: board[source, default: [:]][event.zone, default: []].insert(day)
            case .started, .finished: loudspeaker[source, default: [:]][event.zone, default: []].insert(day)
            default: break
            }
        }
    }

    /// The days `sources` were carried in `hamlet` on `channel`.
    static func days(_ channel: [String: [String: Set<LocalDate>]], of sources: [String], in hamlet: String) -> Set<LocalDate> {
        sources.reduce(into: Set<LocalDate>()) { $0.formUnion(channel[$1]?[hamlet] ?? []) }
    }
}

extension Law10ChannelDays {
    /// The figures of `days` against `required` consecutive days.
    init(_ days: Set<LocalDate>, required: Int?) {
        let runs = days.consecutiveRuns
        let gap = runs.count > 1
            ? Law10Gap(from: runs[0].upperBound.adding(days: 1), until: runs[1].lowerBound.adding(days: -1)) : nil
        self.init(
            days: days.count, longestRun: runs.map(\.dayCount).max() ?? 0, required: required,
            first: runs.first?.lowerBound, last: runs.last?.upperBound, firstGap: gap)
    }
}
