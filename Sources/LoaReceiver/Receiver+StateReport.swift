#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaMQTT
import LoaProtocol

extension Receiver {
    /// The software version the state report names.
    static let softwareVersion = "loa 0.1"

    /// The retained `online` state: software, the volume step of its latest item, what the
    /// media cache holds, the latest failure, its clock's estimated offset.
    /// Published on every (re)connect, after every airing ends and when the clock's
    /// estimate moves, so the console's dashboard stays current.
    func onlineState() -> DeviceState {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cache.directory.path)) ?? []
        let media = names.filter { !$0.hasPrefix(".") }
        let bytes = media.reduce(0) { $0 + MediaCache.size(of: cache.directory.appendingPathComponent($1)) }
        return DeviceState(
            device: configuration.deviceID, zone: configuration.hamlet, status: .online, at: clock.now,
            software: Self.softwareVersion, volume: lastVolume, cachedMedia: media.count, cacheBytes: bytes,
            lastError: lastError, clockOffsetMs: clock.estimate.map { ($0.offsetMs * 1000).rounded() / 1000 },
            clockUncertaintyMs: clock.estimate.map { ($0.uncertaintyMs * 1000).rounded() / 1000 },
            speakerTestedAt: speakerTest?.at, speakerScore: speakerTest.map { ($0.score * 1000).rounded() / 1000 },
            speakerFailures: speakerTest?.failures)
    }

    /// Publishes `onlineState()` retained on the device's state topic.
    func publishState() async {
        guard let payload = try? WireCoding.encode(onlineState()) else { return }
        try? await link.publish(
            topic: topics.deviceState(configuration.deviceID), payload: payload, qos: .atLeastOnce, retain: true)
    }
}
