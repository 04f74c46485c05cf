#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The controller's half of one clock exchange (`GET /time`, docs/protocol.md "Clock"):
/// when its clock read the request's arrival and the response's departure.
///
/// Times are Unix milliseconds with a fraction (microsecond precision), not the wire's
/// RFC 3339 text, whose milliseconds would be the larger part of the error on a LAN.
public struct ControllerClockReading: Sendable, Equatable, Codable {
    /// The controller's clock when the request arrived, in Unix milliseconds.
    public var receivedMs: Double
    /// The controller's clock when the response left, in Unix milliseconds.
    public var sentMs: Double

    public init(receivedMs: Double, sentMs: Double) {
        self.receivedMs = receivedMs
        self.sentMs = sentMs
    }

    public init(received: Date, sent: Date) {
        self.init(receivedMs: received.timeIntervalSince1970 * 1000, sentMs: sent.timeIntervalSince1970 * 1000)
    }
}

/// One NTP-style exchange with the controller, in the device's clock and the controller's:
/// the device's clock at sending (t0) and at receiving (t3), the controller's at the
/// request's arrival (t1) and the response's departure (t2).
public struct ClockExchange: Sendable, Equatable {
    public var sent: Date
    public var controller: ControllerClockReading
    public var received: Date

    public init(sent: Date, controller: ControllerClockReading, received: Date) {
        self.sent = sent
        self.controller = controller
        self.received = received
    }

    /// The time on the network, both ways, in milliseconds: (t3 − t0) − (t2 − t1).
    public var roundTripMs: Double {
        (received.timeIntervalSince(sent) * 1000) - (controller.sentMs - controller.receivedMs)
    }

    /// The least the device's clock minus the controller's can be, in milliseconds: t0 − t1
    /// (the request cannot have arrived before it left).
    public var lowestOffsetMs: Double { sent.timeIntervalSince1970 * 1000 - controller.receivedMs }

    /// The most the device's clock minus the controller's can be, in milliseconds: t3 − t2
    /// (the response cannot have arrived before it left).
    public var highestOffsetMs: Double { received.timeIntervalSince1970 * 1000 - controller.sentMs }

    /// The device's clock minus the controller's, in milliseconds (positive = the device is
    /// ahead): ((t0 − t1) + (t3 − t2)) / 2. Exact when the request and the response took
    /// equally long; otherwise off by half their difference, at most half the round trip.
    public var offsetMs: Double {
        let t0 = sent.timeIntervalSince1970 * 1000
        let t3 = received.timeIntervalSince1970 * 1000
        return ((t0 - controller.receivedMs) + (t3 - controller.sentMs)) / 2
    }
}

/// How far a device's clock is from the controller's, from several exchanges.
///
/// Each exchange bounds the offset: at least t0 − t1 (the request took no negative time),
/// at most t3 − t2 (nor did the response). Over several exchanges the tightest bounds
/// are those of the fastest request and, separately, the fastest response, and the
/// estimate is the middle of their intersection (Marzullo's way, as NTP's intersection
/// of sources). On a link whose one-way delays jitter by ±50 ms around 100 ms, 16
/// exchanges find each direction within a few milliseconds of its least delay, where
/// the one fastest round trip (NTP's clock filter) is off by half its asymmetry.
///
/// No two-way exchange can see a path slower one way than the other all the time (a 4G
/// uplink slower than its downlink by a steady 10 ms puts the estimate 5 ms off).
public struct ClockOffsetEstimate: Sendable, Equatable, Codable {
    /// The device's clock minus the controller's, in milliseconds (positive = ahead).
    public var offsetMs: Double
    /// How far off the estimate likely is, in milliseconds: how far apart the tightest and
    /// the next tightest bound are on each side, averaged, a measure of how far the fastest
    /// request and response may still be from the link's least delay; at least
    /// ``smallestUncertaintyMs``.
    public var uncertaintyMs: Double
    /// The most it can be off, in milliseconds: half the intersection's width (the least
    /// delays both ways, halved), unless the path is steadily slower one way.
    public var boundMs: Double
    /// The device's clock when the estimate was made.
    public var at: Date
    /// How many exchanges it was made from.
    public var samples: Int

    public init(offsetMs: Double, uncertaintyMs: Double, boundMs: Double, at: Date, samples: Int) {
        self.offsetMs = offsetMs
        self.uncertaintyMs = uncertaintyMs
        self.boundMs = boundMs
        self.at = at
        self.samples = samples
    }

    /// The least uncertainty claimed, in milliseconds: the scheduler's and the timestamps' own.
    public static let smallestUncertaintyMs = 0.5

    /// The estimate from `exchanges`; nil without a plausible one (none, or only negative
    /// round trips: a clock stepped mid-exchange). When the bounds do not intersect (a
    /// clock stepped between exchanges), the fastest round trip's offset is taken alone.
    public static func best(of exchanges: [ClockExchange]) -> ClockOffsetEstimate? {
        let plausible = exchanges.filter { $0.roundTripMs >= 0 && $0.offsetMs.isFinite }
        guard let fastest = plausible.min(by: { $0.roundTripMs < $1.roundTripMs }) else { return nil }
        let at = plausible.map(\.received).max() ?? fastest.received
        let lows = plausible.map(\.lowestOffsetMs).sorted(by: >)
        let highs = plausible.map(\.highestOffsetMs).sorted()
        guard lows[0] <= highs[0] else {
            let bound = fastest.roundTripMs / 2
            return ClockOffsetEstimate(offsetMs: fastest.offsetMs, uncertaintyMs: bound, boundMs: bound, at: at, samples: plausible.count)
        }
        let bound = (highs[0] - lows[0]) / 2
        let uncertainty = plausible.count > 1 ? ((lows[0] - lows[1]) + (highs[1] - highs[0])) / 2 : bound
        return ClockOffsetEstimate(
            offsetMs: (lows[0] + highs[0]) / 2, uncertaintyMs: max(min(uncertainty, bound), smallestUncertaintyMs),
            boundMs: bound, at: at, samples: plausible.count)
    }

    /// The largest offset a device may report, in milliseconds (one day): a device further
    /// off cannot verify a signed message anyway, and a larger figure is refused as malformed.
    public static let largestOffsetMs: Double = 86_400_000
    /// The largest uncertainty a device may report, in milliseconds (one minute).
    public static let largestUncertaintyMs: Double = 60_000

    /// True when both figures are finite and within ``largestOffsetMs`` and ``largestUncertaintyMs``.
    public static func isPlausible(offsetMs: Double?, uncertaintyMs: Double?) -> Bool {
        if let offsetMs, !(offsetMs.isFinite && abs(offsetMs) <= largestOffsetMs) { return false }
        if let uncertaintyMs, !(uncertaintyMs.isFinite && uncertaintyMs >= 0 && uncertaintyMs <= largestUncertaintyMs) { return false }
        return true
    }
}
