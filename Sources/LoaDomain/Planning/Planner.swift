#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Places a schedule's programmes into days, slots and instants for every hamlet.
///
/// The rules, from MIC Circular 39/2020 and the site's settings:
/// - a programme "in slot" fills the hamlet's sessions in order of priority class
///   (priority before normal), then of the order in the files; items follow each
///   other with the site's gap; what does not fit is carried to the next session it
///   may use that day, and otherwise reported as overflow;
/// - a programme "at" fixed times airs at those times; a normal or priority one
///   never inside quiet hours; an emergency at any time;
/// - overlapping airings in one hamlet are reported as conflicts.
///
/// Pure and deterministic: the same schedule and days give the same plan.
public struct Planner: Sendable {
    public let schedule: BroadcastSchedule
    public let clock: WallClock
    /// `targets[p][h]`: programme p airs in hamlet h.
    private let targets: [[Bool]]
    /// `allowedSlots[p][s]`: in-slot programme p may use slot s.
    private let allowedSlots: [[Bool]]
    /// Slot indices by start time.
    private let slotOrder: [Int]

    /// - Throws: `PlannerError.unknownTimeZone` when the site's time zone is not an IANA id.
    public init(schedule: BroadcastSchedule) throws(PlannerError) {
        guard let zone = TimeZone(identifier: schedule.site.timeZone) else {
            throw .unknownTimeZone(schedule.site.timeZone)
        }
        self.schedule = schedule
        clock = WallClock(timeZone: zone)
        let hamletIndex = Dictionary(uniqueKeysWithValues: schedule.hamlets.enumerated().map { ($1.id, $0) })
        targets = schedule.programmes.map { programme in
            var row = [Bool](repeating: false, count: schedule.hamlets.count)
            for id in schedule.hamletIDs(of: programme.targets) { if let h = hamletIndex[id] { row[h] = true } }
            return row
        }
        allowedSlots = schedule.programmes.map { programme in
            guard case .inSlots(let ids, _) = programme.recurrence.times else {
                return [Bool](repeating: false, count: schedule.site.slots.count)
            }
            return schedule.site.slots.map { ids.isEmpty || ids.contains($0.id) }
        }
        slotOrder = schedule.site.slots.indices.sorted { schedule.site.slots[$0].start < schedule.site.slots[$1].start }
    }

    /// True when programme `programme` airs in hamlet `hamlet` (indices).
    public func targets(programme: Int, hamlet: Int) -> Bool { targets[programme][hamlet] }

    /// Plans `days` days from `from`, for every hamlet.
    public func plan(from: LocalDate, days: Int) -> Plan {
        let hamletCount = schedule.hamlets.count
        var byHamlet = [[Occurrence]](repeating: [], count: hamletCount)
        var slotFills: [SlotFill] = []
        var findings: [PlanFinding] = []
        var day: [Occurrence] = []
        for offset in 0..<max(days, 0) {
            let date = from.adding(days: offset)
            let today = DayContext(planner: self, date: date)
            for hamlet in 0..<hamletCount {
                day.removeAll(keepingCapacity: true)
                today.fillSlots(hamlet: hamlet, into: &day, fills: &slotFills, findings: &findings)
                today.placeFixedTimes(hamlet: hamlet, into: &day, findings: &findings)
                if today.hasFixedTimes {
                    day.sort { ($0.startAt, $0.priority, $0.programme) < ($1.startAt, $1.priority, $1.programme) }
                }
                today.reportConflicts(in: day, hamlet: hamlet, findings: &findings)
                byHamlet[hamlet].append(contentsOf: day)
            }
        }
        return Plan(
            from: from, days: max(days, 0), occurrences: byHamlet.flatMap { $0 },
            slotFills: slotFills.sorted { ($0.hamlet, $0.date, $0.slot) < ($1.hamlet, $1.date, $1.slot) },
            findings: findings)
    }

    /// What is shared by every hamlet on one day: the sessions, the programmes that air, their instants.
    private struct DayContext {
        let planner: Planner
        let date: LocalDate
        /// Sessions running today (slot indices by start) and the instant each begins (UTC seconds).
        let sessions: [(slot: Int, startUTC: Int)]
        /// In-slot programmes airing today, priority class first, then file order, with how many sessions each wants.
        let inSlot: [(programme: Int, wanted: Int)]
        /// Fixed-time programmes airing today.
        let fixed: [Int]

        init(planner: Planner, date: LocalDate) {
            self.planner = planner
            self.date = date
            let schedule = planner.schedule
            let weekday = date.weekday
            sessions = planner.slotOrder
                .filter { schedule.site.slots[$0].weekdays.contains(weekday) }
                .map { ($0, planner.clock.utcSeconds(date, schedule.site.slots[$0].start)) }
            var inSlot: [(Int, Int)] = []
            var fixed: [Int] = []
            for (index, programme) in schedule.programmes.enumerated() where programme.recurrence.includes(date) {
                switch programme.recurrence.times {
                case .at: fixed.append(index)
                case .inSlots(_, let timesPerDay):
                    let open = sessions.count { planner.allowedSlots[index][$0.slot] }
                    if open > 0 { inSlot.append((index, min(timesPerDay ?? open, open))) }
                }
            }
            self.inSlot = inSlot.sorted { lhs, rhs in
                let (a, b) = (schedule.programmes[lhs.0].priority, schedule.programmes[rhs.0].priority)
                return a != b ? a > b : lhs.0 < rhs.0
            }
            self.fixed = fixed
        }

        var hasFixedTimes: Bool { !fixed.isEmpty }

        func fillSlots(hamlet: Int, into day: inout [Occurrence], fills: inout [SlotFill], findings: inout [PlanFinding]) {
            guard !inSlot.isEmpty || !sessions.isEmpty else { return }
            let schedule = planner.schedule
            let gap = schedule.site.gapSeconds
            var left = inSlot.map { planner.targets[$0.programme][hamlet] ? $0.wanted : 0 }
            for session in sessions {
                let slot = schedule.site.slots[session.slot]
                let capacity = slot.capacitySeconds
                var cursor = 0
                var overflow: [Int] = []
                for (k, entry) in inSlot.enumerated() where left[k] > 0 && planner.allowedSlots[entry.programme][session.slot] {
                    let programme = schedule.programmes[entry.programme]
                    let needed = cursor == 0 ? programme.durationSeconds : gap + programme.durationSeconds
                    guard cursor + needed <= capacity else {
                        overflow.append(entry.programme)
                        continue
                    }
                    let offset = cursor == 0 ? 0 : cursor + gap
                    day.append(Occurrence(
                        programme: entry.programme, hamlet: hamlet, date: date, slot: session.slot,
                        start: LocalTime(secondsSinceMidnight: min(slot.start.secondsSinceMidnight + offset, 86_399))!,
                        startAt: Date(timeIntervalSince1970: TimeInterval(session.startUTC + offset)),
                        durationSeconds: programme.durationSeconds, priority: programme.priority))
                    cursor += needed
                    left[k] -= 1
                }
                fills.append(SlotFill(
                    hamlet: hamlet, date: date, slot: session.slot, capacitySeconds: capacity, usedSeconds: cursor,
                    overflow: overflow))
            }
            for (k, entry) in inSlot.enumerated() where left[k] > 0 {
                let programme = schedule.programmes[entry.programme]
                let aired = entry.wanted - left[k]
                findings.append(PlanFinding(
                    kind: .overflow, programme: entry.programme, hamlet: hamlet, date: date,
                    message: LocalizedText(
                        vi: "\(schedule.hamlets[hamlet].name) ngày \(date.vietnameseDescription): '\(programme.title)' cần \(entry.wanted) lần, chỉ xếp được \(aired) lần vì các buổi phát đã đầy",
                        en: "\(schedule.hamlets[hamlet].id) on \(date): '\(programme.id)' wants \(entry.wanted) airing(s), only \(aired) fit: the sessions are full")))
            }
        }

        func placeFixedTimes(hamlet: Int, into day: inout [Occurrence], findings: inout [PlanFinding]) {
            let schedule = planner.schedule
            for index in fixed where planner.targets[index][hamlet] {
                let programme = schedule.programmes[index]
                guard case .at(let times) = programme.recurrence.times else { continue }
                for time in times {
                    if programme.priority != .emergency, let quiet = schedule.site.quietHours.first(where: { $0.contains(time) }) {
                        findings.append(PlanFinding(
                            kind: .quietHours, programme: index, hamlet: hamlet, date: date,
                            message: LocalizedText(
                                vi: "'\(programme.title)' lúc \(time) ngày \(date.vietnameseDescription) rơi vào giờ yên tĩnh \(quiet.start)–\(quiet.end): không phát; chỉ tin khẩn cấp được phát trong giờ này",
                                en: "'\(programme.id)' at \(time) on \(date) is inside quiet hours \(quiet.start)–\(quiet.end): not aired; only emergencies may")))
                        continue
                    }
                    day.append(Occurrence(
                        programme: index, hamlet: hamlet, date: date, slot: nil, start: time,
                        startAt: planner.clock.instant(date, time), durationSeconds: programme.durationSeconds,
                        priority: programme.priority))
                }
            }
        }

        func reportConflicts(in day: [Occurrence], hamlet: Int, findings: inout [PlanFinding]) {
            guard hasFixedTimes, day.count > 1 else { return }
            let schedule = planner.schedule
            var latest = day[0]
            for next in day.dropFirst() {
                if next.startAt < latest.endAt {
                    let (a, b) = (schedule.programmes[latest.programme], schedule.programmes[next.programme])
                    findings.append(PlanFinding(
                        kind: .conflict, programme: next.programme, hamlet: hamlet, date: date,
                        message: LocalizedText(
                            vi: "\(schedule.hamlets[hamlet].name) ngày \(date.vietnameseDescription): '\(b.title)' lúc \(next.start) trùng với '\(a.title)' (\(latest.start), dài \(a.durationSeconds) giây)"
                                + (next.priority > latest.priority ? "; tin \(b.priority.vietnameseName.lowercased()) sẽ ngắt tin kia" : "; tin sau chờ tin trước phát xong"),
                            en: "\(schedule.hamlets[hamlet].id) on \(date): '\(b.id)' at \(next.start) overlaps '\(a.id)' (\(latest.start), \(a.durationSeconds) s)"
                                + (next.priority > latest.priority ? "; the higher class interrupts it" : "; it waits until the other ends"))))
                }
                if next.endAt > latest.endAt { latest = next }
            }
        }
    }
}

/// A schedule the planner cannot work with.
public enum PlannerError: Error, Equatable, CustomStringConvertible {
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .unknownTimeZone(let zone):
            "múi giờ '\(zone)' không tồn tại; dùng tên IANA như Asia/Ho_Chi_Minh (unknown time zone '\(zone)'; use an IANA name such as Asia/Ho_Chi_Minh)"
        }
    }
}
