import Foundation
import LoaMQTT
import LoaProtocol
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
        let waiting = Mutex<[(DeviceEvent, Date)]>([])
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
                    let event = try WireCoding.decode(DeviceEvent.self, from: message.payload)
                    guard event.device == device else {
                        logger.warning("event names another device; ignored", metadata: ["topic": "\(message.topic)"])
                        continue
                    }
                    waiting.withLock { waiting in
                        waiting.append((event, clock()))
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

    /// Stores a batch in one transaction, then tells each device which of its
    /// events are stored (new or stored before), so it may forget them.
    private func storeBatch(_ batch: [(DeviceEvent, Date)]) async {
        do {
            try store.record(batch)
        } catch {
            // Nothing was stored; the devices resend, as they do after any loss.
            logger.error("events not stored", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            return
        }
        let byDevice = Dictionary(grouping: batch.map(\.0), by: \.device)
        for (device, events) in byDevice {
            let topic = topics.deviceReceipts(device)
            let now = clock()
            do {
                let sealed = try signer.seal(
                    payload: WireCoding.encode(EventReceipt(events: events.map(\.id))), topic: topic,
                    version: receiptVersions.next(now: now), issuedAt: now, expiresAt: now.addingTimeInterval(3600))
                try await publish("receipt", topic: topic, payload: sealed)
            } catch {
                logger.warning("receipt not sent", metadata: ["device": "\(device)", "error": "\(error)"])
            }
        }
    }
}
