import Foundation
public import LoaDomain

/// A plan as JSON for machines: every airing with its id and instant, every
/// session's fill, the findings and the legal checks, with ids and names spelled out.
public struct PlanDocument: Sendable, Encodable {
    public struct Airing: Sendable, Encodable {
        public var id: String
        public var programme: String
        public var title: String
        public var category: Category
        public var priority: PriorityClass
        public var hamlet: String
        public var date: LocalDate
        /// Slot id; absent for a fixed time.
        public var slot: String?
        public var start: LocalTime
        public var startAt: String
        public var durationSeconds: Int
    }

    public struct Session: Sendable, Encodable {
        public var hamlet: String
        public var date: LocalDate
        public var slot: String
        public var capacitySeconds: Int
        public var usedSeconds: Int
        public var overflow: [String]
    }

    public struct Finding: Sendable, Encodable {
        public var kind: PlanFinding.Kind
        public var programme: String
        public var hamlet: String
        public var date: LocalDate
        public var message: LocalizedText
    }

    public struct Check: Sendable, Encodable {
        public var programme: String
        public var requirement: LegalCheck.Requirement
        public var outcome: LegalCheck.Outcome
        public var rule: LocalizedText
        public var failures: [FailedHamlet]
    }

    /// A notice the boards show in the planned days.
    public struct Posting: Sendable, Encodable {
        public var notice: String
        public var title: String
        public var hamlets: [String]
        public var from: LocalDate
        public var until: LocalDate
    }

    public struct FailedHamlet: Sendable, Encodable {
        public var hamlet: String
        public var message: LocalizedText
    }

    public var site: String
    public var timeZone: String
    public var from: LocalDate
    public var days: Int
    public var airings: [Airing]
    public var sessions: [Session]
    public var findings: [Finding]
    /// Notices on the boards on any of the planned days.
    public var postings: [Posting]
    public var legalChecks: [Check]

    /// Spells out `plan` and `checks` of `planner`'s schedule.
    public init(plan: Plan, checks: [LegalCheck], planner: Planner) {
        let schedule = planner.schedule
        let programmes = schedule.programmes, hamlets = schedule.hamlets, slots = schedule.site.slots
        site = schedule.site.id
        timeZone = schedule.site.timeZone
        from = plan.from
        days = plan.days
        airings = plan.occurrences.map { occurrence in
            let programme = programmes[occurrence.programme]
            return Airing(
                id: schedule.occurrenceID(occurrence), programme: programme.id, title: programme.title,
                category: programme.category, priority: occurrence.priority, hamlet: hamlets[occurrence.hamlet].id,
                date: occurrence.date, slot: occurrence.slot.map { slots[$0].id }, start: occurrence.start,
                startAt: occurrence.startAt.formatted(.iso8601), durationSeconds: occurrence.durationSeconds)
        }
        sessions = plan.slotFills.map { fill in
            Session(
                hamlet: hamlets[fill.hamlet].id, date: fill.date, slot: slots[fill.slot].id, capacitySeconds: fill.capacitySeconds,
                usedSeconds: fill.usedSeconds, overflow: fill.overflow.map { programmes[$0].id })
        }
        findings = plan.findings.map { finding in
            Finding(
                kind: finding.kind, programme: programmes[finding.programme].id, hamlet: hamlets[finding.hamlet].id,
                date: finding.date, message: finding.message)
        }
        postings = schedule.notices.filter { $0.displayFrom <= plan.through && $0.displayUntil >= plan.from }.map { notice in
            Posting(
                notice: notice.id, title: notice.title, hamlets: schedule.hamletIDs(of: notice.targets),
                from: notice.displayFrom, until: notice.displayUntil)
        }
        legalChecks = checks.map { check in
            Check(
                programme: programmes[check.programme].id, requirement: check.requirement, outcome: check.outcome, rule: check.rule,
                failures: check.failures.map { FailedHamlet(hamlet: hamlets[$0.hamlet].id, message: $0.message) })
        }
    }
}
