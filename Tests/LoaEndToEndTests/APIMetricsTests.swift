import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /metrics` on a running controller: Prometheus text with the devices, plays,
/// events, log size, schedule and approvals as the store holds them; operator and admin only.
@Suite("API: Prometheus metrics", .serialized)
struct APIMetricsTests {
    typealias Setup = ScheduleAPITests.Setup

    /// `name{labels}` → value, from the text format; fails on a line that is neither a comment nor a sample.
    static func samples(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(line)")
            let value = Double(parts[1])
            #expect(value != nil, "\(line)")
            samples[String(parts[0])] = value
        }
        return samples
    }

    func metrics(_ setup: Setup, as user: String?) async throws -> (Int, String, String?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(setup.commune.httpPort)/metrics")!)
        if let user { request.setValue("Bearer \(setup.tokens[user]!)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await LoopbackHTTP.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Content-Type"))
    }

    @Test("the metrics count what the store holds, in the text exposition format")
    func figures() async throws {
        let setup = try await Setup()
        let media = try await setup.uploadAudio()
        let schedule = SampleSchedule.make(media: media)
        #expect(try await setup.apply(schedule).0 == 201)
        #expect(try await setup.approve(1, ["tuyen-truyen-mo-hinh"], as: "chu-tich").0 == 201)
        let store = setup.commune.controller.store
        let now = Date()
        try await store.updateDevice(DeviceState(device: "loa-a1", zone: "thon-a", status: .online, at: now))
        try await store.updateDevice(DeviceState(device: "loa-a2", zone: "thon-a", status: .online, at: now))
        try await store.updateDevice(DeviceState(device: "loa-b1", zone: "thon-b", status: .offline, at: now))
        // The dispatcher may already have recorded airings of the day as missed (by the
        // time of day the test runs): the figures are compared before and after.
        let before = try Self.samples(try await metrics(setup, as: "ky-thuat").1)
        let kinds: [DeviceEvent.Kind] = [.received, .started, .finished, .started, .failed, .missed, .preempted]
        try await store.record(kinds.enumerated().map { n, kind in
            (DeviceEvent(id: "m\(n)", device: "loa-a1", site: Commune.testSite.id, zone: "thon-a", item: "i@thon-a", kind: kind, at: now), now)
        })

        let (status, text, type) = try await metrics(setup, as: "ky-thuat")
        #expect(status == 200)
        #expect(type == "text/plain; version=0.0.4; charset=utf-8")
        #expect(text.contains("# TYPE loa_plays_total counter\n") && text.contains("# HELP loa_devices "))
        let samples = try Self.samples(text)
        func added(_ name: String) -> Double { (samples[name] ?? 0) - (before[name] ?? 0) }
        #expect(samples["loa_devices{status=\"online\"}"] == 2 && samples["loa_devices{status=\"offline\"}"] == 1)
        #expect(added("loa_plays_total{outcome=\"started\"}") == 2 && added("loa_plays_total{outcome=\"finished\"}") == 1)
        #expect(added("loa_plays_total{outcome=\"failed\"}") == 1 && added("loa_plays_total{outcome=\"missed\"}") == 1)
        #expect(added("loa_plays_total{outcome=\"preempted\"}") == 1)
        #expect(added("loa_events_ingested_total") == Double(kinds.count))
        #expect(samples["loa_log_entries"] == Double(store.logSize))
        #expect(samples["loa_ingest_queue_depth"] == 0, "nothing waits to be stored")
        #expect(samples["loa_schedule_active_version"] == 1)
        #expect(samples["loa_programmes_awaiting_approval"] == Double(schedule.programmes.count - 1))
        #expect(samples["loa_publish_failures_total{topic=\"schedule\"}"] == 0)
        #expect(samples["loa_schedule_items_held_back_total"] == 0)
        await setup.commune.stop()
    }

    @Test("operators and admins read the metrics; no token is 401, other roles 403")
    func access() async throws {
        let setup = try await Setup()
        #expect(try await metrics(setup, as: nil).0 == 401)
        for (user, wanted) in [("ky-thuat", 200), ("admin", 200), ("can-bo-vh", 403), ("chu-tich", 403), ("mat-tran", 403)] {
            #expect(try await metrics(setup, as: user).0 == wanted, "\(user)")
        }
        await setup.commune.stop()
    }
}
