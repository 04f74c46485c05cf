import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaProvisioning
import LoaStore
import Logging
import Synchronization

extension Controller {
    /// Most events stored in one transaction.
    static let ingestionBatch = 1000

    /// Subscribes to every device's events and state and stores them until the
    /// message stream ends (the client is closed) or the task is cancelled.
    ///
    /// Events are stored in batches: what arrives while a batch is being written
    /// goes into the next one, so a burst (an emergency to every hamlet) costs one
    /// transaction, one checkpoint signature and one receipt per device per batch,
    /// and a lone event is stored at once.
    public func ingestReports() async throws {
        try await mqtt.subscribe(topics.allDeviceEvents, qos: .atLeastOnce)
        try await mqtt.subscribe(topics.allDeviceStates, qos: .atLeastOnce)
        let waiting = Mutex<[ArrivedEvent]>([])
        let (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let storing = Task {
            for await _ in wakeUps {
                while true {
                    let batch = waiting.withLock { waiting in
                        let batch = Array(waiting.prefix(Self.ingestionBatch))
                        waiting.removeFirst(batch.count)
                        metrics.setIngestQueueDepth(waiting.count + batch.count)
                        return batch
                    }
                    if batch.isEmpty { break }
                    await storeBatch(batch)
                    metrics.setIngestQueueDepth(waiting.withLock { $0.count })
                }
            }
        }
        for await message in mqtt.messages {
            // The controller's own records are written by the controller alone.
            guard let device = topics.device(inTopic: message.topic), device != DeviceEvent.controllerDevice else { continue }
            do {
                if message.topic == topics.deviceEvents(device) {
                    waiting.withLock { waiting in
                        waiting.append(ArrivedEvent(device: device, payload: message.payload, receivedAt: clock()))
                        metrics.setIngestQueueDepth(waiting.count)
                    }
                    wake.yield()
                } else if message.topic == topics.deviceState(device) {
                    var state = try WireCoding.decode(DeviceState.self, from: message.payload)
                    // A live (not retained) state tells how far the device's clock is from ours.
                    state.clockOffsetMs = message.retain || state.status != .online ? nil : state.at.timeIntervalSince(clock()) * 1000
                    try store.updateDevice(state)
                }
            } catch {
                logger.warning("report not stored", metadata: ["topic": "\(message.topic)", "error": "\(error)"])
            }
        }
        wake.finish()
        await storing.value
    }

    /// Checks a batch (`EventAdmission`), stores what may be believed in one
    /// transaction and keeps what was refused as evidence, then tells each device
    /// which of its events were handled (stored now or before, or refused), so it may
    /// forget them.
    private func storeBatch(_ batch: [ArrivedEvent]) async {
        let (accepted, refused) = admit(batch)
        do {
            try store.record(accepted.map { ($0.event, $0.receivedAt) })
        } catch {
            // Nothing was stored; the devices resend, as they do after any loss.
            logger.error("events not stored", metadata: ["count": "\(accepted.count)", "error": "\(error)"])
            return
        }
        do {
            try store.recordRefused(refused)
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
        for (device, ids) in handled {
            let topic = topics.deviceReceipts(device)
            let now = clock()
            do {
                let sealed = try signer.seal(
                    payload: WireCoding.encode(EventReceipt(events: ids)), topic: topic,
                    version: receiptVersions.next(now: now), issuedAt: now, expiresAt: now.addingTimeInterval(3600))
                try await publish("receipt", topic: topic, payload: sealed)
            } catch {
                logger.warning("receipt not sent", metadata: ["device": "\(device)", "error": "\(error)"])
            }
        }
    }

    /// Splits a batch into the events that may be stored and the refused messages.
    private func admit(_ batch: [ArrivedEvent]) -> (accepted: [AdmittedEvent], refused: [RefusedEvent]) {
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
            site: configuration.site.id, hamlets: Set(configuration.site.hamlets.map(\.id)),
            registeredHamlets: registeredHamlets())
        // What each hamlet was sent, looked up once per batch.
        var sent: [String: [String: SentItem]] = [:]
        for (zone, events) in Dictionary(grouping: decoded.map(\.1), by: \.zone) where admission.hamlets.contains(zone) {
            do {
                sent[zone] = try store.sentItems(zone: zone, items: events.map(\.item))
            } catch {
                logger.error("cannot read what was sent", metadata: ["hamlet": "\(zone)", "error": "\(error)"])
            }
        }
        var accepted: [AdmittedEvent] = []
        for (arrived, event) in decoded {
            if let refusal = admission.refusal(
                of: event, topicDevice: arrived.device, sent: sent[event.zone]?[event.item], receivedAt: arrived.receivedAt)
            {
                // An id too long to be stored is not echoed back in a receipt either.
                let id = event.id.count <= DeviceEvent.Limits.idCharacters ? event.id : nil
                refused.append(arrived.refused(eventID: id, refusal))
            } else {
                accepted.append(AdmittedEvent(event: event, receivedAt: arrived.receivedAt))
            }
        }
        return (accepted, refused)
    }

    /// The hamlet of each device in the registry (`devices.json`), revoked ones included.
    private func registeredHamlets() -> [String: String] {
        let file = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("devices.json")
        do {
            let registry = try DeviceRegistry.load(from: file)
            return Dictionary(
                registry.devices.filter { $0.site == configuration.site.id }.map { ($0.id, $0.hamlet) },
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
