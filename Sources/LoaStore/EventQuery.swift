public import Foundation
public import LoaProtocol

/// Which stored events to read (`ControllerStore.events(matching:)`): every filter
/// left nil or empty lets everything through; the filters combine with AND.
public struct EventQuery: Sendable, Equatable {
    /// Events of this scheduled item.
    public var item: String?
    /// Events of this receiver.
    public var device: String?
    /// Events of this hamlet (zone).
    public var hamlet: String?
    /// Only these kinds; empty: every kind.
    public var kinds: Set<DeviceEvent.Kind>
    /// Events whose `at` is at or after this instant.
    public var from: Date?
    /// Events whose `at` is before this instant.
    public var to: Date?
    /// At most this many, the oldest first; nil: all.
    public var limit: Int?

    public init(
        item: String? = nil, device: String? = nil, hamlet: String? = nil, kinds: Set<DeviceEvent.Kind> = [],
        from: Date? = nil, to: Date? = nil, limit: Int? = nil
    ) {
        self.item = item
        self.device = device
        self.hamlet = hamlet
        self.kinds = kinds
        self.from = from
        self.to = to
        self.limit = limit
    }
}
