public import Foundation
public import LoaProtocol

/// What receivers report (states and events), what they were sent to check it
/// against, and the reports refused.
public protocol DeviceReportStore: Sendable {
    /// Stores a device's latest state in place of the one before.
    func updateDevice(_ state: DeviceState) async throws
    /// Every device's latest state, by device id.
    func devices() async throws -> [DeviceState]
    /// Stores a batch of events, each with the instant it was received, and appends
    /// the new ones to the transparency log in one transaction. Events already
    /// stored (same device and id, also earlier in the batch) change nothing; if
    /// anything fails, nothing of the batch is stored.
    /// - Returns: for each event, in order, true when it was new.
    @discardableResult
    func record(_ events: [(DeviceEvent, Date)]) async throws -> [Bool]
    /// Stored events that match `query`, in arrival order.
    func events(matching query: EventQuery) async throws -> [DeviceEvent]
    /// How many events of each kind are stored.
    func eventCounts() async throws -> [DeviceEvent.Kind: Int]
    /// What the controller has sent to `zone` among `items`, by item id: what an
    /// event about an item is checked against.
    func sentItems(zone: String, items: some Collection<String> & Sendable) async throws -> [String: SentItem]
    /// Keeps refused reports (the latest `RefusedEvent.keptPerDevice` per device).
    /// - Returns: for each, true when it was not kept already.
    @discardableResult
    func recordRefused(_ refused: [RefusedEvent]) async throws -> [Bool]
    /// The refused reports kept, newest first; of one device when `device` is given.
    func refusedEvents(device: String?) async throws -> [RefusedEvent]
    /// Refused reports counted by device and reason.
    func refusalCounts() async throws -> [DeviceRefusalCount]
}

extension DeviceReportStore {
    /// Stores an event once and appends it to the transparency log, in one
    /// transaction: a resent event (same device and id) changes nothing.
    /// - Returns: true when the event was new.
    @discardableResult
    public func record(_ event: DeviceEvent, receivedAt: Date) async throws -> Bool {
        try await record([(event, receivedAt)])[0]
    }

    /// Stored events in arrival order, optionally only those of one item or device.
    public func events(item: String? = nil, device: String? = nil) async throws -> [DeviceEvent] {
        try await events(matching: EventQuery(item: item, device: device))
    }

    /// Every refused report kept, newest first.
    public func refusedEvents() async throws -> [RefusedEvent] { try await refusedEvents(device: nil) }
}
