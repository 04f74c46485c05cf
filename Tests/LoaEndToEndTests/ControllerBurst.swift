import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A burst of proof-of-play events from a commune's receivers, and `loa controller`
/// processes to take it in: what the tests that kill a controller mid-ingestion share.
enum ControllerBurst {
    static let site = Site(id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", hamlets: [
        Hamlet(id: "thon-a", name: "Thôn Đông"), Hamlet(id: "thon-b", name: "Thôn Đoài"),
    ])
    static let devices = ["loa-a1": "thon-a", "loa-a2": "thon-a", "loa-b1": "thon-b"]
    static let eventsPerDevice = 1000
    /// The first events' instant; the items airing from then on.
    static let start = Date(timeIntervalSince1970: 1_795_485_600)

    /// Records in `store`, before a controller starts, one document per hamlet listing
    /// the items the events are about (the controller believes only events about what it sent).
    static func seedSentItems(_ store: any ControllerStore) async throws {
        let media = MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1, contentType: "audio/wav", durationMs: 5000)
        for hamlet in Set(devices.values) {
            let items = (0..<(eventsPerDevice / 4)).map { index in
                ScheduledItem(
                    id: "item-\(index)@\(hamlet)", announcementId: "item-\(index)", title: "Bản tin \(index)", category: .propaganda,
                    priority: .normal, startAt: start, media: media)
            }
            let document = ZoneSchedule(site: site.id, zone: hamlet, version: 1, issuedAt: start.addingTimeInterval(-3600), items: items)
            _ = try await store.publishNextZoneDocument(zone: hamlet, at: document.issuedAt) { _, _ in (try WireCoding.encode(document), nil, ()) }
        }
    }

    /// `eventsPerDevice` events of each device, their ids unique, as receivers send them.
    static func events() -> [DeviceEvent] {
        var events: [DeviceEvent] = []
        for index in 0..<eventsPerDevice {
            for (device, hamlet) in devices.sorted(by: { $0.key < $1.key }) {
                let kind: DeviceEvent.Kind = [.received, .ready, .started, .finished][index % 4]
                events.append(DeviceEvent(
                    id: "\(device)-\(index)", device: device, site: site.id, zone: hamlet,
                    item: "item-\(index / 4)@\(hamlet)", kind: kind, at: start.addingTimeInterval(Double(index)),
                    startOffsetMs: kind == .started ? 0.25 : nil, playedMs: kind == .finished ? 5000 : nil))
            }
        }
        return events
    }

    /// Starts `loa controller` and waits until it serves HTTP.
    static func startController(_ config: String, httpPort: Int, log: String) async throws -> Int32 {
        let pid = try ChildProcess.spawn(loaExecutable(), ["controller", "--config", config], log: log)
        let url = URL(string: "http://127.0.0.1:\(httpPort)/log/key")!
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let (_, response) = try? await LoopbackHTTP.data(from: url),
               (response as? HTTPURLResponse)?.statusCode == 200 { return pid }
            if ChildProcess.exitStatus(pid) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        ChildProcess.stop(pid)
        throw BurstError("the controller did not start; its log: \(log)")
    }

    struct BurstError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
