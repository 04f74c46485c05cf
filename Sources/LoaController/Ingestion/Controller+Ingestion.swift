import Foundation
import LoaMQTT
import LoaProtocol
import LoaStore
import Logging

extension Controller {
    /// Subscribes to every device's events and state and stores them until the
    /// message stream ends (the client is closed) or the task is cancelled: states
    /// at once, events through `EventIngestion`.
    public func ingestReports() async throws {
        try await mqtt.subscribe(topics.allDeviceEvents, qos: .atLeastOnce)
        try await mqtt.subscribe(topics.allDeviceStates, qos: .atLeastOnce)
        let ingestion = EventIngestion(
            store: store, site: configuration.site,
            registry: mediaAccess.registry,
            metrics: metrics, logger: logger
        ) { device, ids in await self.sendReceipt(to: device, events: ids) }
        let storing = Task { await ingestion.run() }
        for await message in mqtt.messages {
            // The controller's own records are written by the controller alone.
            guard let device = topics.device(inTopic: message.topic), device != DeviceEvent.controllerDevice else { continue }
            do {
                if message.topic == topics.deviceEvents(device) {
                    ingestion.accept(ArrivedEvent(device: device, payload: message.payload, receivedAt: clock()))
                } else if message.topic == topics.deviceState(device) {
                    var state = try WireCoding.decode(DeviceState.self, from: message.payload)
                    // A live (not retained) state tells how far the device's clock is from ours.
                    state.clockOffsetMs = message.retain || state.status != .online ? nil : state.at.timeIntervalSince(clock()) * 1000
                    try await store.updateDevice(state)
                }
            } catch {
                logger.warning("report not stored", metadata: ["topic": "\(message.topic)", "error": "\(error)"])
            }
        }
        ingestion.finish()
        await storing.value
    }

    /// Tells `device` which of its events are handled (stored now or before, or refused),
    /// in a signed receipt, so it may forget them.
    func sendReceipt(to device: String, events: [String]) async {
        // An event sent twice in one batch is named once.
        var named: Set<String> = []
        let events = events.filter { named.insert($0).inserted }
        let topic = topics.deviceReceipts(device)
        let now = clock()
        do {
            let sealed = try signer.seal(
                payload: WireCoding.encode(EventReceipt(events: events)), topic: topic,
                version: receiptVersions.next(now: now), issuedAt: now, expiresAt: now.addingTimeInterval(3600))
            try await publish("receipt", topic: topic, payload: sealed)
        } catch {
            logger.warning("receipt not sent", metadata: ["device": "\(device)", "error": "\(error)"])
        }
    }
}
