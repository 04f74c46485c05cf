public import Foundation
import LoaProtocol

/// A schedule version as its log entry states it (`LogEntryEncoding.fields(scheduleVersion:…)`).
public struct LoggedScheduleApplication: Sendable, Equatable, Codable {
    public var version: Int
    public var site: String
    /// SHA-256 of the stored schedule's canonical JSON.
    public var digest: String
    /// Programme id → its `ProgrammeDigest`.
    public var programmes: [String: String]
    /// Who applied it.
    public var by: String
    public var at: Date

    /// Reads the fields of a `schedule-applied` entry; nil when one is missing or malformed.
    public init?(fields: [String: String]) {
        guard let version = fields["version"].flatMap(Int.init), let site = fields["site"],
              let digest = fields["digest"], let list = fields["programmes"], let by = fields["by"],
              let at = fields["at"].flatMap(WireCoding.parse)
        else { return nil }
        var programmes: [String: String] = [:]
        for pair in list.split(separator: ",") {
            guard let colon = pair.lastIndex(of: ":") else { return nil }
            programmes[String(pair[..<colon])] = String(pair[pair.index(after: colon)...])
        }
        self.version = version
        self.site = site
        self.digest = digest
        self.programmes = programmes
        self.by = by
        self.at = at
    }
}

/// One approval as its log entry states it (`LogEntryEncoding.fields(approvalOf:…)`).
public struct LoggedApproval: Sendable, Equatable, Codable {
    public var version: Int
    public var programme: String
    /// The programme content approved (`ProgrammeDigest`).
    public var digest: String
    /// The priority class's raw value; `emergency` needs two different approvers.
    public var priority: String
    /// The approver's name.
    public var by: String
    public var at: Date

    /// Reads the fields of an `approval` entry; nil when one is missing or malformed.
    public init?(fields: [String: String]) {
        guard let version = fields["version"].flatMap(Int.init), let programme = fields["programme"],
              let digest = fields["digest"], let priority = fields["priority"], let by = fields["by"],
              let at = fields["at"].flatMap(WireCoding.parse)
        else { return nil }
        self.version = version
        self.programme = programme
        self.digest = digest
        self.priority = priority
        self.by = by
        self.at = at
    }
}
