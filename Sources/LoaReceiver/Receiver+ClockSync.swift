#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import Logging

extension Receiver {
    /// An estimate less certain than this is not adopted: the one in use is kept.
    static let largestAdoptedUncertaintyMs: Double = 1000

    /// How often the clock is measured (`clockSyncSeconds`, default 300 s).
    var clockSyncInterval: TimeInterval { configuration.clockSyncSeconds ?? 300 }

    /// Measures the clock against the controller's now and every `clockSyncInterval`, and
    /// corrects ``clock`` by each good estimate; the state is published when the estimate
    /// moves by more than its uncertainty (or 5 ms), so the console sees a drifting clock.
    func keepClockInStep(with source: any ControllerTimeSource) async {
        while !Task.isCancelled {
            let (estimate, error) = await ClockSampler(source: source, clock: clock.local).estimate()
            if estimate == nil, let error, !(error is CancellationError) {
                logger.warning("clock not measured: the controller's time could not be read", metadata: ["error": "\(error)"])
            }
            if let estimate {
                let previous = clock.estimate
                if estimate.uncertaintyMs <= Self.largestAdoptedUncertaintyMs {
                    clock.adopt(estimate)
                    let moved = abs(estimate.offsetMs - (previous?.offsetMs ?? .infinity))
                    if moved > max(estimate.uncertaintyMs, 5) { await publishState() }
                } else {
                    logger.warning(
                        "clock estimate too uncertain; kept the one in use",
                        metadata: ["uncertaintyMs": "\(estimate.uncertaintyMs)"])
                }
            }
            do {
                try await clock.local.sleep(for: .seconds(clockSyncInterval))
            } catch {
                return
            }
        }
    }
}
