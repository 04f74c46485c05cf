import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaProtocol
import LoaStore
import Synchronization

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

/// The burst's receivers as real ones behave toward the controllers: each event published
/// once, then again (``resendUnreceipted()``) until a receipt signed with the commune's key
/// names it. A controller killed with events handed to it but not stored loses nothing
/// for good: the events come again and another controller takes them.
final class ReceiptedBurst: Sendable {
    let events: [DeviceEvent]
    private let client: MQTTClient
    private let topics: Topics
    /// Ids no receipt has named yet, and how many receipts named each.
    private final class Receipts: Sendable {
        let unreceipted: Mutex<Set<String>>
        let counts = Mutex<[String: Int]>([:])
        init(_ ids: Set<String>) { unreceipted = Mutex(ids) }
    }
    private let receipts: Receipts
    private let receiving: Task<Void, Never>

    init(events: [DeviceEvent], site: String, brokerPort: Int, key: VerifierKey) async throws {
        self.events = events
        topics = Topics(site: site)
        receipts = Receipts(Set(events.map(\.id)))
        client = try MQTTClient(options: MQTTClientOptions(
            host: "127.0.0.1", port: brokerPort, clientID: "province-test-receivers", cleanSession: true))
        try await client.waitUntilConnected()
        try await client.subscribe("loa/v1/\(site)/device/+/receipts", qos: .atLeastOnce)
        receiving = Task { [client, receipts] in
            var verifier = DownwardMessageVerifier(trusting: [key])
            for await message in client.messages {
                guard case .success(let opened) = verifier.open(message.payload, topic: message.topic, now: Date()),
                    let receipt = try? WireCoding.decode(EventReceipt.self, from: opened.payload)
                else { continue }
                receipts.unreceipted.withLock { $0.subtract(receipt.events) }
                receipts.counts.withLock { counts in for id in receipt.events { counts[id, default: 0] += 1 } }
            }
        }
    }

    /// Publishes every event once, in order.
    func sendAll() async throws {
        for event in events {
            try await client.publish(topic: topics.deviceEvents(event.device), payload: try WireCoding.encode(event))
        }
    }

    /// Publishes again every event no receipt has named yet; returns how many.
    @discardableResult
    func resendUnreceipted() async throws -> Int {
        let due = receipts.unreceipted.withLock { pending in events.filter { pending.contains($0.id) } }
        for event in due {
            try await client.publish(topic: topics.deviceEvents(event.device), payload: try WireCoding.encode(event))
        }
        return due.count
    }

    /// Events no receipt has named yet.
    var unreceiptedCount: Int { receipts.unreceipted.withLock { $0.count } }

    /// How many receipts named each event so far.
    var receiptCounts: [String: Int] { receipts.counts.withLock { $0 } }

    func close() async {
        receiving.cancel()
        await client.close()
    }
}
