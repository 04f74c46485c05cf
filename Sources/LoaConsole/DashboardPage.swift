import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaProtocol
import LoaProvisioning
import LoaStore

/// The dashboard: each hamlet with its receivers (online or not, last seen, volume,
/// clock offset, cache, last error) and what airs next there.
struct DashboardPage {
    let context: ConsoleContext
    let request: Request

    func render() async throws -> Response {
        let controller = context.controller
        let devices = try await controller.store.devices()
        let refused = Dictionary(grouping: try await controller.store.refusalCounts(), by: \.device)
        // The registry as the controller holds it (not `hamletListings()`, which reads the states again).
        let registered = (try? controller.mediaAccess.registry.current().activeDevices) ?? []
        let active = try await controller.store.activeSchedule()
        let upcoming = try await UpcomingAiring.list(controller: controller)
        var waiting = 0
        if let active { waiting = try await controller.store.approvalStatus(version: active.version).filter { !$0.isApproved }.count }
        let configured = Dictionary(
            (active?.schedule.hamlets ?? []).map { ($0.id, $0.receivers) }, uniquingKeysWith: { first, _ in first })
        let online = devices.filter { $0.status == .online }.count
        let tolerance = active?.schedule.site.clockTolerance ?? SiteSettings.defaultClockToleranceMs
        let outOfStep = devices.filter { ClockStanding($0, toleranceMs: tolerance)?.outOfStep == true }.map(\.device)
        let approvers = try await controller.store.users().filter { $0.isActive && $0.roles.contains(.approver) }
            .map(\.displayName).joined(separator: ", ")
        var body: [HTML] = [flash(active?.schedule)]
        if active == nil { body.append("<p class=\"notice\">\(context(.noSchedule))</p>") }
        // What leaders sent back, where the officer looks first.
        let rejections = try await controller.programmes.rejections()
        if !rejections.isEmpty {
            body.append("""
                <div class="alert rejections" role="status"><strong>\(context(.rejectedByApprover))</strong><ul>\(rejections.prefix(5).map { rejection -> HTML in
                    "<li><strong>\(rejection.title)</strong> · \(context.person(rejection.by)) · \(context.time(rejection.at))<br>\(context(.reason)): \(rejection.reason)</li>" })</ul></div>
                """)
        }
        let silent = devices.filter { ($0.speakerFailures ?? 0) > 0 }.map(\.device)
        if !silent.isEmpty {
            body.append("<p class=\"alert\" role=\"status\">\(context(.speakerSilent)): \(silent.joined(separator: ", "))</p>")
        }
        if !outOfStep.isEmpty {
            body.append(
                "<p class=\"alert\" role=\"status\">\(context(.clocksOutOfStep)) · \(context(.clockOutOfStep)) \(tolerance) ms: \(outOfStep.joined(separator: ", "))</p>")
        }
        body.append("""
            <div class="summary">
            <div>\(context(.receiversOnline))<strong>\(online) / \(devices.count)</strong></div>
            <div>\(context(.waitingApprovals))<strong>\(waiting)</strong>\(approvers.isEmpty ? HTML("") : HTML("<span class=\"muted\">\(context(.approvers)): \(approvers)</span>"))</div>
            </div>
            <div class="hamlets">
            """)
        for hamlet in controller.configuration.site.hamlets {
            // Those that reported, those the schedule names, and those provisioned for the
            // hamlet (one that never reported, or whose reports were refused, shows too).
            let provisioned = registered.filter { $0.site == controller.configuration.site.id && $0.hamlet == hamlet.id }.map(\.id)
            let names = Set(devices.filter { $0.zone == hamlet.id }.map(\.device)).union(configured[hamlet.id] ?? [])
                .union(provisioned).sorted()
            let receivers = DataTable(
                headings: [.receiver, .status, .lastSeen, .volume, .clockOffset, .cache, .lastError].map { context($0) },
                cells: names.map { name in
                    receiverRow(name, devices.first { $0.device == name }, refused: refused[name] ?? [], clockToleranceMs: tolerance)
                })
            let next = upcoming.filter { $0.hamlet == hamlet.id }.prefix(4).map(airingRow)
            body.append("""
                <section aria-labelledby="h-\(hamlet.id)">
                <h2 id="h-\(hamlet.id)">\(hamlet.name)</h2>
                \(names.isEmpty ? HTML("<p class=\"alert\">\(context(.hamletWithoutReceivers))</p>") : receivers.html)
                <h3>\(context(.nextAirings))</h3>
                \(next.isEmpty ? HTML("<p class=\"muted\">\(context(.nothingNext))</p>")
                    : DataTable(headings: [.scheduled, .title, .status].map { context($0) } + [""], cells: Array(next)).html)
                </section>
                """)
        }
        body.append("</div>")
        return Layout.page(context, title: context(.dashboard), current: .dashboard, body: HTML(joining: body))
    }

    private func flash(_ schedule: BroadcastSchedule?) -> HTML {
        guard let submitted = request.uri.queryParameters.get("submitted") else { return "" }
        let title = schedule?.programmes.first { $0.id == submitted }?.title ?? submitted
        return "<p class=\"flash\" role=\"status\">\(context(.submitted)): <strong>\(title)</strong></p>"
    }

    private func receiverRow(_ name: String, _ state: DeviceState?, refused: [DeviceRefusalCount], clockToleranceMs: Int) -> [HTML] {
        let refusals = refusalBadge(refused)
        guard let state else {
            return ["\(name)", "<span class=\"badge warn\">\(context(.neverSeen))</span>", "–", "", "", "", refusals]
        }
        let connection: HTML = state.status == .online
            ? "<span class=\"badge ok\">\(context(.online))</span>" : "<span class=\"badge bad\">\(context(.offline))</span>"
        let badge: HTML = "\(connection)\(speakerBadge(state))"
        let offset = ClockStanding(state, toleranceMs: clockToleranceMs).map { clockCell($0, toleranceMs: clockToleranceMs) } ?? "–"
        let cache = state.cachedMedia.map { "\($0) \(context(.files)) · \(context.decimal(Double(state.cacheBytes ?? 0) / 1_048_576)) MB" } ?? "–"
        let volume = state.volume.map { "\($0)/10" } ?? "–"
        return [
            "\(name)<div class=\"muted\">\(state.software ?? "")</div>", badge, "\(context.time(state.at))",
            "\(volume)", "\(offset)", "\(cache)", "\(state.lastError ?? "–")\(refusals)",
        ]
    }

    /// The latest speaker self-test, for a device with a microphone.
    private func speakerBadge(_ state: DeviceState) -> HTML {
        guard let failures = state.speakerFailures, let at = state.speakerTestedAt else { return "" }
        switch failures {
        case 0: return "<div class=\"muted\">\(context(.speakerHeard)) · \(context.time(at))</div>"
        case 1: return "<div class=\"badge warn\">\(context(.speakerRetrying))</div>"
        default: return "<div class=\"badge bad\">\(context(.speakerSilent))</div>"
        }
    }

    /// The offset; how well it is corrected; a warning when the speaker is out of step.
    private func clockCell(_ standing: ClockStanding, toleranceMs: Int) -> HTML {
        let offset = (standing.offsetMs >= 0 ? "+" : "−") + "\(Int(abs(standing.offsetMs).rounded())) ms"
        let corrected: HTML = standing.corrected
            ? "<div class=\"muted\">\(context(.clockCorrected))\(context.decimal(standing.errorMs)) ms</div>" : ""
        let warning: HTML = standing.outOfStep
            ? "<div class=\"badge bad\">\(context(.clockOutOfStep)) \(toleranceMs) ms</div>" : ""
        return "\(offset)\(corrected)\(warning)"
    }

    /// How many of a device's events were not believed, by reason, the latest check that failed as a tooltip.
    private func refusalBadge(_ refused: [DeviceRefusalCount]) -> HTML {
        guard let latest = refused.max(by: { $0.lastAt < $1.lastAt }) else { return "" }
        let reasons = refused.map { count in
            "\(EventRefusal(rawValue: count.reason).map { context($0.description) } ?? count.reason): \(count.count)"
        }.joined(separator: "; ")
        let total = refused.reduce(0) { $0 + $1.count }
        return "<div class=\"badge bad\" title=\"\(latest.lastDetail)\">\(total) \(context(.refusedEvents)) (\(reasons))</div>"
    }

    private func airingRow(_ airing: UpcomingAiring) -> [HTML] {
        let status: HTML = airing.approved
            ? "<span class=\"badge ok\">\(context(.approvedShort))</span>"
            : "<span class=\"badge warn\">\(context(.awaitingApprovalShort))</span>"
        let priority: HTML = airing.priority == .normal ? "" : " <span class=\"badge bad\">\(context.name(airing.priority))</span>"
        return [
            "\(context.time(airing.startAt))", "\(airing.title)\(priority)", status,
            "<a href=\"\(UpcomingAiring.livePath(airing.broadcast))\">\(context(.liveView))</a>",
        ]
    }

}
