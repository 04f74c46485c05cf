public import Foundation
import LoaProtocol

extension LogEntryEncoding {
    /// The fields of the log entry for a schedule version an officer applied:
    ///
    /// `type` = `schedule-applied`; `version` decimal; `site` the site id; `digest`
    /// the SHA-256 (lowercase hex) of the stored schedule (its `CanonicalJSON`);
    /// `programmes` each programme as `id:digest` (`ProgrammeDigest`), sorted by
    /// byte order and joined with `,` (empty for none); `by` the user's name;
    /// `at` as RFC 3339 UTC with milliseconds.
    public static func fields(
        scheduleVersion version: Int, site: String, digest: String, programmes: [String: String], by user: String, at: Date
    ) -> [(String, String)] {
        [
            ("type", "schedule-applied"), ("version", String(version)), ("site", site), ("digest", digest),
            ("programmes", programmes.map { "\($0.key):\($0.value)" }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ",")),
            ("by", user), ("at", WireCoding.format(at)),
        ]
    }

    /// The fields of the log entry for one approver's approval of one programme:
    ///
    /// `type` = `approval`; `version` the schedule version approved (decimal);
    /// `programme` its id; `digest` its `ProgrammeDigest`, which the approval
    /// holds for; `priority` its priority class (an `emergency` needs two
    /// different approvers); `by` the approver's name; `at` as RFC 3339 UTC with
    /// milliseconds.
    public static func fields(
        approvalOf programme: String, digest: String, priority: String, version: Int, by user: String, at: Date
    ) -> [(String, String)] {
        [
            ("type", "approval"), ("version", String(version)), ("programme", programme), ("digest", digest),
            ("priority", priority), ("by", user), ("at", WireCoding.format(at)),
        ]
    }

    /// The canonical bytes of an entry whose keys are fixed and distinct (as above).
    public static func encode(fixedFields fields: [(String, String)]) -> Data {
        // Distinct fixed keys: encoding cannot fail.
        (try? encode(fields: fields)) ?? Data()
    }
}
