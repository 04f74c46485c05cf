import Foundation
import LoaDomain
import LoaProtocol
import LoaProvisioning
import LoaStore
import Logging
import Synchronization

/// Stores the events devices send: checks each (`EventAdmission`), stores what may be
/// believed, keeps what was refused as evidence, and has each device told which of
/// its events were handled.
///
/// Events are stored in batches: what arrives while a batch is being written goes
/// into the next one, and in a burst (a batch stored less than ``gathering`` ago) the
/// next batch waits ``gathering`` for more, so a burst (an emergency to every hamlet,
/// its receivers' `ready` spread over the seconds their fetches take) costs few
/// transactions, checkpoint signatures and receipts; a lone event after a quiet
/// spell is stored at once.
final class EventIngestion: Sendable {
    /// Most events stored in one transaction.
    static let batchSize = 1000
    /// How long a batch in a burst waits for more events: what a proof of play's
    /// durability may be delayed by. 300 ms, not 100: in `loa-bench province` a
    /// commune's 50 receivers report over seconds, and at 100 ms its batches stayed at a
    /// dozen events, each a transaction and a signed receipt per device (Loa's CPU per
    /// receiver 5.3 ms at 100 ms, 4.4 at 300 ms, 4.7 at 1 s, one run each).
    static let gathering: Duration = .milliseconds(300)

    private let store: any DeviceReportStore
    private let site: Site
    /// The device registry: the hamlet of each device.
    private let registry: any DeviceRegistrySource
    private let metrics: ControllerMetrics
    private let logger: Logger
    private let sendReceipt: @Sendable (_ device: String, _ events: [String]) async -> Void
    private let waiting = Mutex<[ArrivedEvent]>([])
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(
        store: any DeviceReportStore, site: Site, registry: any DeviceRegistrySource, metrics: ControllerMetrics, logger: Logger,
        sendReceipt: @escaping @Sendable (_ device: String, _ events: [String]) async -> Void
    ) {
        self.store = store
        self.site = site
        self.registry = registry
        self.metrics = metrics
        self.logger = logger
        self.sendReceipt = sendReceipt
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an event message for the next batch.
    func accept(_ arrived: ArrivedEvent) {
        waiting.withLock { waiting in
            waiting.append(arrived)
            metrics.setIngestQueueDepth(waiting.count)
        }
        wake.yield()
    }

    /// No more messages: `run` ends once the queue is stored.
    func finish() { wake.finish() }

    /// Stores batches as messages come, until `finish()`.
    func run() async {
        var lastStored: ContinuousClock.Instant?
        for await _ in wakeUps {
            while true {
                if let lastStored, ContinuousClock.now - lastStored < Self.gathering,
                    waiting.withLock({ $0.count }) < Self.batchSize
                {
                    try? await Task.sleep(for: Self.gathering)
                }
                let batch = waiting.withLock { waiting in
                    let batch = Array(waiting.prefix(Self.batchSize))
                    waiting.removeFirst(batch.count)
                    metrics.setIngestQueueDepth(waiting.count + batch.count)
                    return batch
                }
                if batch.isEmpty { break }
                await storeBatch(batch)
                lastStored = .now
                metrics.setIngestQueueDepth(waiting.withLock { $0.count })
            }
        }
    }

    /// Checks a batch (`EventAdmission`), stores what may be believed in one
    /// transaction and keeps what was refused as evidence, then tells each device
    /// which of its events were handled (stored now or before, or refused), so it may
    /// forget them.
    private func storeBatch(_ batch: [ArrivedEvent]) async {
        let (accepted, refused) = await admit(batch)
        do {
            try await store.record(accepted.map { ($0.event, $0.receivedAt) })
        } catch {
            // Nothing was stored; the devices resend, as they do after any loss.
            logger.error("events not stored", metadata: ["count": "\(accepted.count)", "error": "\(error)"])
            return
        }
        do {
            try await store.recordRefused(refused)
        } catch {
            logger.error("refused events not kept", metadata: ["count": "\(refused.count)", "error": "\(error)"])
            return
        }
        for event in refused {
            logger.warning("event refused", metadata: [
                "device": "\(event.device)", "reason": "\(event.reason)", "detail": "\(event.detail)",
            ])
        }
        var handled: [String: [String]] = [:]
        for event in accepted { handled[event.event.device, default: []].append(event.event.id) }
        for event in refused { if let id = event.eventID { handled[event.device, default: []].append(id) } }
        for (device, ids) in handled { await sendReceipt(device, ids) }
    }

    /// Splits a batch into the events that may be stored and the refused messages.
    private func admit(_ batch: [ArrivedEvent]) async -> (accepted: [AdmittedEvent], refused: [RefusedEvent]) {
        var decoded: [(ArrivedEvent, DeviceEvent)] = []
        var refused: [RefusedEvent] = []
        for arrived in batch {
            guard arrived.payload.count <= DeviceEvent.Limits.payloadBytes else {
                refused.append(arrived.refused(eventID: nil, EventAdmission.Refusal(
                    reason: .malformed,
                    detail: "the message is \(arrived.payload.count) bytes; at most \(DeviceEvent.Limits.payloadBytes)")))
                continue
            }
            do {
                decoded.append((arrived, try WireCoding.decode(DeviceEvent.self, from: arrived.payload)))
            } catch {
                refused.append(arrived.refused(eventID: nil, EventAdmission.Refusal(
                    reason: .malformed, detail: "not an event (docs/protocol.md, Events): \(error)")))
            }
        }
        let admission = EventAdmission(
            site: site.id, hamlets: Set(site.hamlets.map(\.id)),
            registeredHamlets: registeredHamlets())
        // What each hamlet was sent, looked up once per batch.
        var sent: [String: [String: SentItem]] = [:]
        for (zone, events) in Dictionary(grouping: decoded.map(\.1), by: \.zone) where admission.hamlets.contains(zone) {
            do {
                sent[zone] = try await store.sentItems(zone: zone, items: events.map(\.item))
            } catch {
                logger.error("cannot read what was sent", metadata: ["hamlet": "\(zone)", "error": "\(error)"])
            }
        }
        var accepted: [AdmittedEvent] = []
        for (arrived, event) in decoded {
            if let refusal = admission.refusal(
                of: event, topicDevice: arrived.device, sent: sent[event.zone]?[event.item], receivedAt: arrived.receivedAt)
            {
                // An id that cannot be stored is not echoed back in a receipt either.
                let id = EventAdmission.isStorable(id: event.id) ? event.id : nil
                refused.append(arrived.refused(eventID: id, refusal))
            } else {
                accepted.append(AdmittedEvent(event: event, receivedAt: arrived.receivedAt))
            }
        }
        return (accepted, refused)
    }

    /// The hamlet of each device in the registry (`devices.json`), revoked ones included.
    private func registeredHamlets() -> [String: String] {
        do {
            return Dictionary(
                try registry.current().devices.filter { $0.site == site.id }.map { ($0.id, $0.hamlet) },
                uniquingKeysWith: { first, _ in first })
        } catch {
            logger.error("device registry unreadable; events checked without it", metadata: ["error": "\(error)"])
            return [:]
        }
    }
}

/// An event message as it came from the broker, not read yet.
struct ArrivedEvent {
    /// The device on whose topic it came.
    var device: String
    var payload: Data
    var receivedAt: Date

    /// The evidence of its refusal.
    func refused(eventID: String?, _ refusal: EventAdmission.Refusal) -> RefusedEvent {
        RefusedEvent(
            device: device, eventID: eventID, digest: MediaDigest.sha256(payload), receivedAt: receivedAt,
            reason: refusal.reason.rawValue, detail: refusal.detail, payload: payload)
    }
}

/// An event that passed `EventAdmission`.
struct AdmittedEvent {
    var event: DeviceEvent
    var receivedAt: Date
}
