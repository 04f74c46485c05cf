import Foundation
import LoaProtocol

/// Decides what of a device's `state` message may be stored: it must be about the device
/// on whose topic it came, in its registered hamlet, with bounded texts and plausible
/// figures. Pure: the registry's hamlet and the arrival time are given by the caller.
struct DeviceStateAdmission {
    /// The site's hamlets.
    var hamlets: Set<String>

    /// The most characters of `software`.
    static let softwareCharacters = 64

    /// The state to store, or a refusal naming the field and what would be right.
    /// - Parameters:
    ///   - topicDevice: the device on whose topic it came.
    ///   - registeredHamlet: the registry's hamlet for that device, if it is registered.
    ///   - retained: true when the broker replayed it (it is not news of now).
    ///   - receivedAt: the controller's clock when it came.
    func admitted(
        _ state: DeviceState, topicDevice: String, registeredHamlet: String?, retained: Bool, receivedAt: Date
    ) -> Result<DeviceState, EventAdmission.Refusal> {
        func refuse(_ reason: EventRefusal, _ detail: String) -> Result<DeviceState, EventAdmission.Refusal> {
            .failure(EventAdmission.Refusal(reason: reason, detail: detail))
        }
        guard state.device == topicDevice else {
            return refuse(.wrongDevice, "device '\(state.device.prefix(64))' came on the state topic of '\(topicDevice)'")
        }
        if let registeredHamlet, registeredHamlet != state.zone {
            return refuse(.wrongHamlet, "zone '\(state.zone.prefix(64))': the registry puts \(topicDevice) in '\(registeredHamlet)'")
        }
        guard hamlets.contains(state.zone) else {
            return refuse(.wrongHamlet, "zone '\(state.zone.prefix(64))' is not a hamlet of this site")
        }
        if (state.software?.count ?? 0) > Self.softwareCharacters {
            return refuse(.oversized, "software is \(state.software?.count ?? 0) characters long; at most \(Self.softwareCharacters)")
        }
        if (state.lastError?.count ?? 0) > DeviceEvent.Limits.reasonCharacters {
            return refuse(.oversized, "lastError is \(state.lastError?.count ?? 0) characters long; at most \(DeviceEvent.Limits.reasonCharacters)")
        }
        if let volume = state.volume, !(1...10).contains(volume) {
            return refuse(.implausibleFigure, "volume \(volume) is not a step of 1…10")
        }
        if (state.cachedMedia ?? 0) < 0 || (state.cacheBytes ?? 0) < 0 {
            return refuse(.implausibleFigure, "cachedMedia and cacheBytes may not be negative")
        }
        guard ClockOffsetEstimate.isPlausible(offsetMs: state.clockOffsetMs, uncertaintyMs: state.clockUncertaintyMs) else {
            return refuse(
                .implausibleFigure,
                "clockOffsetMs \(state.clockOffsetMs ?? 0) or clockUncertaintyMs \(state.clockUncertaintyMs ?? 0) is beyond ±\(Int(ClockOffsetEstimate.largestOffsetMs)) or 0…\(Int(ClockOffsetEstimate.largestUncertaintyMs))")
        }
        if let score = state.speakerScore, !(score.isFinite && (0...1).contains(score)) {
            return refuse(.implausibleFigure, "speakerScore \(score) is not within 0…1")
        }
        if let failures = state.speakerFailures, !(0...1000).contains(failures) {
            return refuse(.implausibleFigure, "speakerFailures \(failures) is not within 0…1000")
        }
        var stored = state
        if state.clockOffsetMs == nil {
            // A device that estimates nothing gets the rough figure of a live state: its
            // clock against the arrival, the network's delay counted as clock error.
            stored.clockUncertaintyMs = nil
            stored.clockOffsetMs = retained || state.status != .online ? nil : state.at.timeIntervalSince(receivedAt) * 1000
        } else if state.clockUncertaintyMs == nil {
            return refuse(.implausibleFigure, "clockOffsetMs comes without clockUncertaintyMs; a device sends both or neither")
        }
        return .success(stored)
    }
}
