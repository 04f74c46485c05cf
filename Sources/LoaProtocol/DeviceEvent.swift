#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a receiver did with a scheduled item: its proof of play.
public struct DeviceEvent: Sendable, Equatable, Codable {
    /// Unique per event (UUID); resending the same event is harmless.
    public var id: String
    public var device: String
    public var site: String
    public var zone: String
    /// The scheduled item (`ScheduledItem.id`).
    public var item: String
    public var kind: Kind
    /// The receiver's clock when the event happened.
    public var at: Date
    /// For `started`: the instant the first frame left the sound card, as ALSA measured it,
    /// on the controller's time scale: the device's own clock corrected by `clockOffsetMs`.
    public var measuredStartAt: Date?
    /// For `started`: measured start minus the scheduled instant, in milliseconds (positive = late).
    public var startOffsetMs: Double?
    /// For `finished`: how much audio was played, in milliseconds.
    public var playedMs: Int?
    /// For `failed`, `missed`, `preempted`: why, in words an operator can act on.
    public var reason: String?
    /// For `started`: the device's own clock minus the controller's, in milliseconds, as
    /// the device estimated it (docs/protocol.md "Clock"); nil when it has no estimate yet.
    public var clockOffsetMs: Double?
    /// For `started`: the bound on that estimate's error, in milliseconds (half the best
    /// round trip), so that `measuredStartAt` is right to within it.
    public var clockUncertaintyMs: Double?
    /// For `finished` and `preempted` from a device with a microphone: whether it heard its
    /// speaker play the programme (docs/protocol.md "Proof of sound").
    public var soundHeard: Bool?
    /// With `soundHeard`: the peak normalised correlation of the microphone against the
    /// programme's first seconds, 0–1.
    public var soundScore: Double?

    /// The kinds of event, in the order an item normally goes through them.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The item was seen in a schedule document.
        case received
        /// The audio is downloaded, verified and decoded; the receiver waits for the instant.
        case ready
        /// Playback began.
        case started
        /// Playback ended at the end of the audio.
        case finished
        /// The item could not be played (download failed, hash mismatch, audio device error).
        case failed
        /// The instant passed while the receiver could not play (offline, powered off), or it
        /// fell in quiet hours and is not an emergency; from device `controller`, it was never
        /// sent in time (the controller was down, or it was approved after its time).
        case missed
        /// A higher-priority item interrupted it.
        case preempted
        /// The item left the hamlet's schedule (withdrawn, moved, rejected) before it
        /// sounded: it will not play. `reason` says so; nothing is wrong with the device.
        case cancelled
        /// A relay stopped sounding before its window's end: its stream broke off, or a
        /// higher class took the speaker (`reason`). Id `interrupted:{item}:{n}` for the n-th gap.
        case interrupted
        /// A relay sounds again after its n-th gap (id `resumed:{item}:{n}`).
        case resumed
        /// A notice board showed the notice for the first time (`item` is the `BoardNotice.id`).
        case displayed
        /// The notice board still showed the notice during the hour before `at`: one
        /// event an hour, however often the board rotated through it.
        case stillDisplayed = "still-displayed"
        /// The notice board stopped showing the notice: its period ended, or it was withdrawn (`reason`).
        case takenDown = "taken-down"
    }

    /// The `device` of the events the controller itself records (airings it could not send).
    public static let controllerDevice = "controller"

    public init(
        id: String, device: String, site: String, zone: String, item: String, kind: Kind, at: Date,
        measuredStartAt: Date? = nil, startOffsetMs: Double? = nil, playedMs: Int? = nil, reason: String? = nil,
        clockOffsetMs: Double? = nil, clockUncertaintyMs: Double? = nil, soundHeard: Bool? = nil, soundScore: Double? = nil
    ) {
        self.soundHeard = soundHeard
        self.soundScore = soundScore
        self.id = id
        self.device = device
        self.site = site
        self.zone = zone
        self.item = item
        self.kind = kind
        self.at = at
        self.measuredStartAt = measuredStartAt
        self.startOffsetMs = startOffsetMs
        self.playedMs = playedMs
        self.reason = reason
        self.clockOffsetMs = clockOffsetMs
        self.clockUncertaintyMs = clockUncertaintyMs
    }
}

/// The retained `device/{id}/state` message.
public struct DeviceState: Sendable, Equatable, Codable {
    public var device: String
    public var zone: String
    public var status: Status
    public var at: Date
    /// The software version the device runs.
    public var software: String?
    /// The speaker volume it plays at (1–10), when it has a speaker.
    public var volume: Int?
    /// How many audio files its cache holds, and their bytes.
    public var cachedMedia: Int?
    public var cacheBytes: Int?
    /// Its latest playback or download failure, in words an operator can act on.
    public var lastError: String?
    /// Its own clock minus the controller's, in milliseconds (positive = ahead), as the
    /// device estimated it by exchanges with the controller (docs/protocol.md "Clock").
    /// A device that sends none gets the controller's rough figure (its `at` against
    /// the arrival), which counts the network's delay as clock error.
    public var clockOffsetMs: Double?
    /// The bound on the device's estimate, in milliseconds (half the best round trip);
    /// nil with the controller's rough figure.
    public var clockUncertaintyMs: Double?
    /// From a device with a microphone: when its speaker self-test last ran, how well the
    /// chirp was heard (0–1), and how many self-tests in a row failed (0: the speaker sounds).
    public var speakerTestedAt: Date?
    public var speakerScore: Double?
    public var speakerFailures: Int?

    public enum Status: String, Sendable, Codable {
        case online, offline
    }

    public init(
        device: String, zone: String, status: Status, at: Date, software: String? = nil, volume: Int? = nil,
        cachedMedia: Int? = nil, cacheBytes: Int? = nil, lastError: String? = nil, clockOffsetMs: Double? = nil,
        clockUncertaintyMs: Double? = nil, speakerTestedAt: Date? = nil, speakerScore: Double? = nil, speakerFailures: Int? = nil
    ) {
        self.speakerTestedAt = speakerTestedAt
        self.speakerScore = speakerScore
        self.speakerFailures = speakerFailures
        self.device = device
        self.zone = zone
        self.status = status
        self.at = at
        self.software = software
        self.volume = volume
        self.cachedMedia = cachedMedia
        self.cacheBytes = cacheBytes
        self.lastError = lastError
        self.clockOffsetMs = clockOffsetMs
        self.clockUncertaintyMs = clockUncertaintyMs
    }
}

/// The controller's `device/{id}/receipts` message: these events are stored in
/// the log, and the device may forget them.
public struct EventReceipt: Sendable, Equatable, Codable {
    /// Ids of stored events (new or already stored before).
    public var events: [String]

    public init(events: [String]) { self.events = events }

    /// The receipt's JSON, as `WireCoding` writes it, written directly: a controller
    /// sends one to each device for each batch of its events.
    public var json: Data {
        var out: [UInt8] = Array(#"{"events":["#.utf8)
        for (index, id) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(id, to: &out)
        }
        out += Array("]}".utf8)
        return Data(out)
    }
}
