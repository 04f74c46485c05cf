import Foundation
import LoaDomain
import LoaProtocol
import LoaStore

/// The text `GET /metrics` answers: the controller's state, read at each scrape.
enum MetricsExposition {
    /// The outcomes of a play counted in `loa_plays_total`.
    static let playOutcomes: [DeviceEvent.Kind] = [.started, .finished, .failed, .missed, .preempted, .cancelled]

    static func text(of controller: Controller) async throws -> String {
        let store = controller.store
        var out = PrometheusText()
        let devices = try await store.devices()
        out.add(
            "loa_devices", .gauge, help: "Receivers by their last reported state (retained state message).",
            samples: [DeviceState.Status.online, .offline].map { status in
                ([("status", status.rawValue)], Double(devices.count { $0.status == status }))
            })
        out.add(
            "loa_devices_speaker_silent", .gauge,
            help: "Receivers whose latest speaker self-test was not heard by their microphone.",
            value: Double(devices.count { ($0.speakerFailures ?? 0) > 0 }))
        let tolerance = try await store.activeSchedule()?.schedule.site.clockTolerance ?? SiteSettings.defaultClockToleranceMs
        out.add(
            "loa_devices_clock_out_of_step", .gauge,
            help: "Receivers whose clock error (uncertainty when corrected, else the offset) is beyond the site's clock tolerance.",
            value: Double(devices.count { ClockStanding($0, toleranceMs: tolerance)?.outOfStep == true }))
        let counts = try await store.eventCounts()
        out.add(
            "loa_plays_total", .counter, help: "Play events stored, by outcome (from the receivers and the controller's missed records).",
            samples: playOutcomes.map { ([("outcome", $0.rawValue)], Double(counts[$0] ?? 0)) })
        out.add(
            "loa_events_ingested_total", .counter, help: "Events of every kind stored from the receivers and the controller.",
            value: Double(counts.values.reduce(0, +)))
        out.add(
            "loa_ingest_queue_depth", .gauge, help: "Events received from the broker and not stored in the log yet.",
            value: Double(controller.metrics.ingestQueueDepth))
        var refused: [String: Int] = [:]
        for count in try await store.refusalCounts() { refused[count.reason, default: 0] += count.count }
        out.add(
            "loa_device_events_refused_total", .counter,
            help: "Messages on device event topics that were not believed (kept as evidence, not in the log), by reason.",
            samples: EventRefusal.allCases.map { ([("reason", $0.rawValue)], Double(refused[$0.rawValue] ?? 0)) })
        out.add("loa_log_entries", .gauge, help: "Entries in the transparency log.", value: Double(store.logSize))
        let active = try await store.activeSchedule()
        out.add(
            "loa_schedule_active_version", .gauge, help: "Version of the active schedule; 0 when none was applied.",
            value: Double(active?.version ?? 0))
        var waiting = 0
        if let active { waiting = try await store.approvalStatus(version: active.version).count { !$0.isApproved } }
        out.add(
            "loa_programmes_awaiting_approval", .gauge, help: "Programmes of the active schedule not approved yet (they do not air).",
            value: Double(waiting))
        out.add(
            "loa_schedule_items_held_back_total", .counter,
            help: "Airings and notices left out of a hamlet's document since the controller started: it would have been larger than a receiver accepts.",
            value: Double(controller.metrics.heldBackForSize))
        let failures = controller.metrics.publishFailures
        out.add(
            "loa_publish_failures_total", .counter, help: "Publishes to the broker that failed since the controller started, by topic.",
            samples: ControllerMetrics.topicKinds.map { ([("topic", $0)], Double(failures[$0] ?? 0)) })
        if let relay = controller.relay {
            let pulls = await relay.status()
            out.add(
                "loa_relay_pulls", .gauge, help: "Relay windows this controller pulls now (one ffmpeg each), by the source they read: 0 is the first.",
                samples: Dictionary(grouping: pulls, by: \.source).sorted { $0.key < $1.key }.map { ([("source", "\($0.key)")], Double($0.value.count)) })
            out.add(
                "loa_relay_source_switches_total", .counter,
                help: "Times a relay pull moved to another source (its upstream ended or stalled), over the pulls running now.",
                value: Double(pulls.reduce(0) { $0 + $1.switches }))
        }
        return out.text
    }
}
