import Foundation
import LoaProtocol
import Logging

extension Receiver {
    /// How many exchanges one estimate is chosen from.
    static let clockSamples = 16
    /// The pause between two exchanges of one estimate, so that they meet different queues.
    static let clockSampleSpacing: TimeInterval = 0.05
    /// An estimate less certain than this is not adopted: the one in use is kept.
    static let largestAdoptedUncertaintyMs: Double = 1000

    /// How often the clock is measured (`clockSyncSeconds`, default 300 s).
    var clockSyncInterval: TimeInterval { configuration.clockSyncSeconds ?? 300 }

    /// Measures the clock against the controller's now and every `clockSyncInterval`, and
    /// corrects ``clock`` by each good estimate; the state is published when the estimate
    /// moves by more than its uncertainty (or 5 ms), so the console sees a drifting clock.
    func keepClockInStep(with source: any ControllerTimeSource) async {
        while !Task.isCancelled {
            if let estimate = await estimateClockOffset(with: source) {
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

    /// The device clock's offset from `source`'s exchanges (``ClockOffsetEstimate/best(of:)``);
    /// nil when none succeeded.
    func estimateClockOffset(with source: any ControllerTimeSource) async -> ClockOffsetEstimate? {
        var exchanges: [ClockExchange] = []
        var lastError: (any Error)?
        for sample in 0..<Self.clockSamples {
            if sample > 0 {
                do { try await clock.local.sleep(for: .seconds(Self.clockSampleSpacing)) } catch { return nil }
            }
            let sent = clock.local.now
            do {
                let reading = try await source.read()
                exchanges.append(ClockExchange(sent: sent, controller: reading, received: clock.local.now))
            } catch {
                lastError = error
            }
        }
        if exchanges.isEmpty, let lastError {
            logger.warning("clock not measured: the controller's time could not be read", metadata: ["error": "\(lastError)"])
        }
        return ClockOffsetEstimate.best(of: exchanges)
    }
}
