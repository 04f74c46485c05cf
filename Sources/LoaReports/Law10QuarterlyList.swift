import LoaDomain

/// The quarterly list of disclosures (Art. 13): what was disclosed, on which channel
/// (board or loudspeaker) and from when to when, as the log recorded it.
enum Law10QuarterlyList {
    /// One entry per disclosed programme or notice and channel with a record, by first day.
    static func entries(
        _ sources: [(id: String, title: String, item: Int?)], days: Law10Days, hamlet: String?
    ) -> [Law10QuarterlyEntry] {
        var entries: [Law10QuarterlyEntry] = []
        for source in sources {
            for (channel, byHamlet) in [("board", days.board[source.id]), ("loudspeaker", days.loudspeaker[source.id])] {
                let kept = (byHamlet ?? [:]).filter { entry in hamlet.map { $0 == entry.key } ?? true }
                let all = kept.values.reduce(into: Set<LocalDate>()) { $0.formUnion($1) }
                guard let first = all.min(), let last = all.max() else { continue }
                entries.append(Law10QuarterlyEntry(
                    quarter: (first.month - 1) / 3 + 1, year: first.year, item: source.item, title: source.title,
                    channel: channel, from: first, until: last, hamlets: kept.values.filter { !$0.isEmpty }.count))
            }
        }
        return entries.sorted { ($0.from, $0.title, $0.channel) < ($1.from, $1.title, $1.channel) }
    }
}
