public import Foundation
public import LoaProtocol

/// What a commune sends the province's source-information system for one period
/// (`docs/province-export.md`): what aired and where, minutes per category, the
/// disclosures and their Law 10/2022 status, device health, and the log's checkpoint
/// the figures were computed under, so that the province can check them.
///
/// Versioned: a consumer reads `format` and `version` first; fields are only ever added
/// within a version.
public struct ProvinceExport: Sendable, Equatable, Codable {
    public static let format = "loa.province-export"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var site: Site
    /// The period: `label` (a local date, `2026-12-04`, for a daily export), and its instants.
    public var period: Period
    public var generatedAt: Date
    /// The transparency log as the figures were computed: its size and signed checkpoint.
    public var log: Log
    /// What aired, per category and hamlet.
    public var airings: [Airing]
    /// Minutes aired per category, all hamlets together (the sum of `airings`).
    public var minutesByCategory: [String: Double]
    /// Law 10/2022: disclosures, their checks and the quarterly list (as `loa report`).
    public var disclosures: Law10DisclosureSection
    /// Every receiver as last reported.
    public var devices: [Device]

    public struct Site: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
    }

    public struct Period: Sendable, Equatable, Codable {
        public var label: String
        public var from: Date
        public var to: Date

        public init(label: String, from: Date, to: Date) { (self.label, self.from, self.to) = (label, from, to) }
    }

    public struct Log: Sendable, Equatable, Codable {
        public var entries: UInt64
        public var checkpoint: String?
    }

    public struct Airing: Sendable, Equatable, Codable {
        public var category: String
        public var hamlet: String
        public var hamletName: String
        public var planned: Int
        public var played: Int
        public var minutes: Double
        public var failures: Int
        public var misses: Int
        /// Played items confirmed by the receivers that should have played them (0–1); nil when none were expected.
        public var confirmedShare: Double?
    }

    public struct Device: Sendable, Equatable, Codable {
        public var id: String
        public var hamlet: String
        public var status: String
        public var lastSeen: Date
        public var software: String?
        public var clockOffsetMs: Double?
        public var lastError: String?
        /// Reports of this device the controller refused (forged, implausible…), all reasons.
        public var refusedReports: Int
    }

    /// The export of `report` (built for the period) with the devices' last states.
    /// - Parameters:
    ///   - hamletNames: hamlet id → name.
    ///   - refusedReports: device id → refused reports.
    public init(
        site: (id: String, name: String), period: Period, generatedAt: Date, report: Report, hamletNames: [String: String],
        devices: [DeviceState], refusedReports: [String: Int]
    ) {
        format = Self.format
        version = Self.currentVersion
        self.site = Site(id: site.id, name: site.name)
        self.period = period
        self.generatedAt = generatedAt
        log = Log(entries: report.logEntries, checkpoint: report.checkpoint)
        airings = report.rows.map { row in
            Airing(
                category: row.category, hamlet: row.hamlet, hamletName: hamletNames[row.hamlet] ?? row.hamlet, planned: row.planned,
                played: row.played, minutes: row.airedMinutes, failures: row.failures, misses: row.misses,
                confirmedShare: row.confirmedShare)
        }
        minutesByCategory = airings.reduce(into: [:]) { $0[$1.category, default: 0] += $1.minutes }
        disclosures = report.law10
        self.devices = devices.map { state in
            Device(
                id: state.device, hamlet: state.zone, status: state.status.rawValue, lastSeen: state.at, software: state.software,
                clockOffsetMs: state.clockOffsetMs, lastError: state.lastError, refusedReports: refusedReports[state.device] ?? 0)
        }
    }
}
