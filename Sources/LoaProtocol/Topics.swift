/// The MQTT topics of the wire contract (docs/protocol.md), all under `loa/v1/{site}/`.
public struct Topics: Sendable, Equatable {
    /// The site id every topic starts with.
    public let site: String

    public init(site: String) { self.site = site }

    private var root: String { "loa/v1/\(site)" }

    /// Retained schedule document of a hamlet (controller → receivers).
    public func zoneSchedule(_ hamlet: String) -> String { "\(root)/zone/\(hamlet)/schedule" }
    /// Immediate commands to a hamlet: emergency, cancel, stop (controller → receivers).
    public func zoneCommand(_ hamlet: String) -> String { "\(root)/zone/\(hamlet)/command" }
    /// Retained state of a device, with a last will of `offline` (device → controller).
    public func deviceState(_ device: String) -> String { "\(root)/device/\(device)/state" }
    /// Events of a device: proof of play (device → controller).
    public func deviceEvents(_ device: String) -> String { "\(root)/device/\(device)/events" }
    /// Receipts for events stored in the log (controller → device).
    public func deviceReceipts(_ device: String) -> String { "\(root)/device/\(device)/receipts" }

    /// The controller's latest `KeyAnnouncement`, retained (controller → every device of the site).
    public var controllerKeys: String { "\(root)/keys" }

    /// The latest signed checkpoint of the transparency log, retained (controller → anyone).
    public var logCheckpoint: String { "\(root)/log/checkpoint" }

    /// Filter the controller subscribes to for every device's events.
    public var allDeviceEvents: String { "\(root)/device/+/events" }
    /// Filter the controller subscribes to for every device's state.
    public var allDeviceStates: String { "\(root)/device/+/state" }

    /// The device id in a `device/{id}/…` topic of this site, if the topic is one.
    public func device(inTopic topic: String) -> String? {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "loa", parts[1] == "v1", parts[2] == site[...], parts[3] == "device"
        else { return nil }
        return String(parts[4])
    }
}
