public import Foundation
public import LoaDomain

/// What a drafted programme would do to the active schedule: its airings, the
/// conflicts and overflows it adds, the legal checks it must pass, and the
/// problems that keep it from being submitted.
public struct ProgrammePreview: Sendable {
    /// The programme as it would be added (its id is fixed when it is submitted).
    public var programme: Programme
    /// The schedule version it would be added to; nil before the first.
    public var baseVersion: Int?
    /// Its airings in the planned days, by start.
    public var airings: [Airing]
    /// Findings of the plan with it that the plan without it does not have.
    public var findings: [PlanFinding]
    /// The legal checks of the programme (disclosures, meeting notices).
    public var legalChecks: [LegalCheck]
    /// Why it cannot be submitted as it is, Vietnamese first; empty when it can.
    public var problems: [LocalizedText]
    /// The days planned.
    public var from: LocalDate
    public var days: Int
    /// Hamlet names by index of the schedule the findings and checks refer to.
    public var hamletNames: [String]

    /// One airing in one hamlet.
    public struct Airing: Sendable, Equatable {
        public var hamlet: String
        public var hamletName: String
        public var date: LocalDate
        public var start: LocalTime
        public var startAt: Date
        /// The airing's id (`OccurrenceID`): what receivers report on.
        public var item: String
    }

    /// True when it may be submitted.
    public var isSubmittable: Bool { problems.isEmpty }
}
