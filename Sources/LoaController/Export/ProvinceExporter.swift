public import Foundation
import LoaDomain
import LoaProtocol
import LoaTransparency
public import LoaReports
import LoaStore
import LoaURLSession
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The commune's export to the province's source-information system
/// (docs/province-export.md): built from the transparency log, the schedules and the
/// devices' states; pulled from the API (`GET /api/v1/exports/province`) or pushed, one
/// day at a time, to the settings' endpoint.
///
/// Pushing is at least once, never twice on purpose: a day is recorded as delivered only
/// after the endpoint answered 2xx, and each POST carries `Idempotency-Key: {site}/{day}`,
/// so the province drops a repeat (a crash between its answer and the record).
public struct ProvinceExporter: Sendable {
    let site: Site
    let store: any ControllerStore
    let settings: ControllerConfiguration.ProvinceExportSettings?
    let clock: @Sendable () -> Date
    let logger: Logger

    var wallClock: WallClock { WallClock(siteTimeZone: site.timeZone) }

    /// The export of `from..<to`, labelled `label`.
    public func export(label: String, from: Date, to: Date) async throws -> ProvinceExport {
        let checkpoint = try await store.latestCheckpoint()
        let entries = try await store.logEntries()
        return try await export(label: label, from: from, to: to, entries: entries, checkpoint: checkpoint)
    }

    private func export(label: String, from: Date, to: Date, entries: [LoggedEntry], checkpoint: String?) async throws -> ProvinceExport {
        let report = ReportBuilder(from: from, to: to, schedules: try await store.scheduleVersions().map(\.schedule))
            .build(entries, checkpoint: checkpoint)
        let refused = Dictionary(try await store.refusalCounts().map { ($0.device, $0.count) }, uniquingKeysWith: +)
        return ProvinceExport(
            site: (site.id, site.name), period: .init(label: label, from: from, to: to), generatedAt: clock(), report: report,
            hamletNames: Dictionary(uniqueKeysWithValues: site.hamlets.map { ($0.id, $0.name) }),
            devices: try await store.devices(), refusedReports: refused)
    }

    /// The instants of local day `day` in the commune's time zone.
    func period(of day: LocalDate) -> (from: Date, to: Date) {
        let midnight = LocalTime(hour: 0, minute: 0)!
        return (wallClock.instant(day, midnight), wallClock.instant(day.adding(days: 1), midnight))
    }

    /// The completed days not yet delivered, oldest first: from the first logged day
    /// (at most `backfillDays` back) to yesterday, in the commune's time. Reads the log's
    /// first entry only.
    func pendingDays() async throws -> [LocalDate] {
        guard let settings, let firstRecord = try await store.logRecords(in: 0..<1).first,
              let first = LoggedEntry(index: firstRecord.index, entry: firstRecord.entry).instant
        else { return [] }
        let today = wallClock.local(clock()).date
        let earliest = max(wallClock.local(first).date, today.adding(days: -(settings.backfillDays ?? 31)))
        let delivered = try await store.deliveredExports(destination: settings.url)
        return (0..<max(earliest.days(to: today), 0)).map { earliest.adding(days: $0) }.filter { !delivered.contains($0.description) }
    }

    /// Sends every completed day not yet delivered, oldest first, and records each the
    /// endpoint took; stops at the first refusal or failure (tried again next time).
    /// - Returns: the days delivered now.
    @discardableResult
    public func deliverPending() async throws -> [String] {
        guard let settings, let url = URL(string: settings.url) else { return [] }
        let token = try settings.tokenFile.map {
            try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let pending = try await pendingDays()
        guard !pending.isEmpty else { return [] }
        // The whole log is read once a round, and only when a day is due.
        let checkpoint = try await store.latestCheckpoint()
        let entries = try await store.logEntries()
        var delivered: [String] = []
        for day in pending {
            let (from, to) = period(of: day)
            let body = try Self.encode(try await export(label: day.description, from: from, to: to, entries: entries, checkpoint: checkpoint))
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
            request.setValue("\(site.id)/\(day)", forHTTPHeaderField: "Idempotency-Key")
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let status: Int
            do {
                // Not URLSession.data(for:): cancelled at shutdown, it can hang (CancellableRequest).
                status = try await CancellableRequest.data(for: request).status
            } catch {
                logger.warning("province export not delivered; tried again later", metadata: ["day": "\(day)", "error": "\(error)"])
                break
            }
            guard (200..<300).contains(status) else {
                logger.warning("province export refused; tried again later", metadata: ["day": "\(day)", "status": "\(status)"])
                break
            }
            try await store.recordExportDelivered(
                destination: settings.url, period: day.description, digest: MediaDigest.sha256(body), at: clock())
            delivered.append(day.description)
        }
        if !delivered.isEmpty { logger.info("province export delivered", metadata: ["days": "\(delivered)"]) }
        return delivered
    }

    /// The export as sent: JSON, keys sorted, instants in RFC 3339 (`WireCoding`).
    public static func encode(_ export: ProvinceExport) throws -> Data { try WireCoding.encode(export) }
}
