import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaProvisioning
import LoaStore
import Logging

/// Takes in what receivers report over the broker: their events (checked, stored in
/// batches and receipted by `EventIngestion`) and their states (with how far each
/// device's clock is from the controller's).
public struct ReportIngestion: Sendable {
    let link: any BrokerLink
    let topics: Topics
    let store: any DeviceReportStore
    let site: Site
    /// The device registry: the hamlet of each device.
    let registry: any DeviceRegistrySource
    let publisher: DownwardPublisher
    let keys: ControllerKeyRing
    /// Versions of receipt messages: per device topic they only grow, across restarts too.
    let versions: VersionClock
    let metrics: ControllerMetrics
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Where several controllers share the commune's database: whether this one takes in
    /// the events now (``EventsLease``). nil: it always does (the commune's one controller).
    let eventsLease: EventsLease?

    /// Subscribes to every device's events and state and stores them until the
    /// message stream ends (the client is closed) or the task is cancelled: states
    /// at once, events through `EventIngestion`. Where several controllers share the
    /// commune, to the events only while this one holds the `events` lease.
    public func run() async throws {
        try await link.subscribe(topics.allDeviceStates, qos: .atLeastOnce)
        let following: Task<Void, Never>?
        if let eventsLease {
            following = Task { await subscribeToEvents(following: eventsLease) }
        } else {
            following = nil
            try await link.subscribe(topics.allDeviceEvents, qos: .atLeastOnce)
        }
        defer { following?.cancel() }
        let ingestion = EventIngestion(
            store: store, site: site,
            registry: registry,
            metrics: metrics, logger: logger
        ) { device, ids in await self.sendReceipt(to: device, events: ids) }
        let storing = Task { await ingestion.run() }
        for await message in link.messages {
            // The controller's own records are written by the controller alone.
            guard let device = topics.device(inTopic: message.topic), device != DeviceEvent.controllerDevice else { continue }
            do {
                if message.topic == topics.deviceEvents(device) {
                    // Another controller of the commune takes it in while it holds the lease.
                    guard eventsLease?.holds(at: clock()) ?? true else { continue }
                    ingestion.accept(ArrivedEvent(device: device, payload: message.payload, receivedAt: clock()))
                } else if message.topic == topics.deviceState(device) {
                    try await storeState(message, of: device)
                }
            } catch {
                logger.warning("report not stored", metadata: ["topic": "\(message.topic)", "error": "\(error)"])
            }
        }
        ingestion.finish()
        await storing.value
    }

    /// Subscribes to the devices' events when the lease is taken and gives the
    /// subscription up when it is lost, until cancelled. A subscription the broker
    /// refuses (its ACL) is asked for again every ``resubscribeAfter`` while the lease is
    /// held, with an error each time: a holder that cannot get the events would
    /// otherwise leave them untaken by every controller.
    private func subscribeToEvents(following lease: EventsLease) async {
        for await taken in lease.takenOrLost {
            while !Task.isCancelled, lease.isTaken == taken {
                do {
                    if taken {
                        try await link.subscribe(topics.allDeviceEvents, qos: .atLeastOnce)
                    } else {
                        try await link.unsubscribe(topics.allDeviceEvents)
                    }
                    break
                } catch MQTTError.closed {
                    return
                } catch {
                    logger.error(
                        taken ? "events not subscribed to; asking again" : "events not unsubscribed from; asking again",
                        metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: Self.resubscribeAfter)
                }
            }
        }
    }

    /// How long a refused (un)subscription to the events waits before it is asked for again.
    static let resubscribeAfter: Duration = .seconds(5)

    /// Stores a device's state when ``DeviceStateAdmission`` lets it; logs why not otherwise.
    private func storeState(_ message: MQTTMessage, of device: String) async throws {
        guard message.payload.count <= DeviceEvent.Limits.payloadBytes else {
            logger.warning("state refused", metadata: ["device": "\(device)", "reason": "\(message.payload.count) bytes; at most \(DeviceEvent.Limits.payloadBytes)"])
            return
        }
        let state = try WireCoding.decode(DeviceState.self, from: message.payload)
        let admission = DeviceStateAdmission(hamlets: Set(site.hamlets.map(\.id)))
        let registered = try? registry.current().device(device)?.hamlet
        switch admission.admitted(state, topicDevice: device, registeredHamlet: registered, retained: message.retain, receivedAt: clock()) {
        case .success(let stored):
            try await store.updateDevice(stored)
        case .failure(let refusal):
            logger.warning("state refused", metadata: ["device": "\(device)", "reason": "\(refusal.reason.rawValue): \(refusal.detail)"])
        }
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
            let sealed = try MessageSigner(key: keys.active).seal(
                payload: EventReceipt(events: events).json, topic: topic,
                version: versions.next(now: now), issuedAt: now, expiresAt: now.addingTimeInterval(3600))
            try await publisher.publish("receipt", topic: topic, payload: sealed)
        } catch {
            logger.warning("receipt not sent", metadata: ["device": "\(device)", "error": "\(error)"])
        }
    }
}
