import Foundation
import LoaStore
import Logging
import ServiceLifecycle

/// A periodic job of the commune that exactly one of its controllers runs: the one
/// holding the job's lease (`LeaseStore`). Every controller asks for the lease every
/// `renewal`; the holder renews it and runs the job every `interval`. When the holder
/// stops (killed, cut off), its lease runs out after `leaseDuration` and the next
/// controller to ask takes it over and runs the job at once: within
/// `leaseDuration + renewal` (40 s by default). A single controller always holds it.
/// A notice on `wakeups` runs the job at once on the holder, without waiting for its turn.
struct LeasedJob: Service {
    let name: String
    /// This controller process (`ControllerJobs.instanceName()`).
    let holder: String
    let leases: any LeaseStore
    let interval: Duration
    var renewal: Duration = .seconds(10)
    var leaseDuration: TimeInterval = 30
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Notices that run the job at once on the holder (nil: on its interval only).
    var wakeups: AsyncStream<Void>? = nil
    let job: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await runWhileHeld()
        } catch {
            await release()
            throw error
        }
        await release()
    }

    /// Lets another controller take the job over at once. In a task of its own: this
    /// one may be cancelled, and the release must still reach the store.
    private func release() async {
        let (leases, name, holder) = (leases, name, holder)
        await Task { try? await leases.releaseLease(job: name, holder: holder) }.value
    }

    private func runWhileHeld() async throws {
        try await cancelWhenGracefulShutdown {
            let wakeup = wakeups.map { _ in JobWakeup() }
            let feeding = wakeups.map { wakeups in Task { for await _ in wakeups { wakeup?.poke() } } }
            defer { feeding?.cancel() }
            var lastRun: ContinuousClock.Instant?
            var poked = false
            while !Task.isCancelled {
                do {
                    if try await leases.acquireLease(job: name, holder: holder, for: leaseDuration, at: clock()) {
                        if poked || lastRun.map({ ContinuousClock.now - $0 >= interval }) ?? true {
                            if lastRun == nil { logger.notice("job taken on", metadata: ["job": "\(name)", "holder": "\(holder)"]) }
                            lastRun = .now
                            try await job()
                        }
                    } else {
                        lastRun = nil
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("job not done; trying again", metadata: ["job": "\(name)", "error": "\(error)"])
                }
                if let wakeup {
                    poked = await wakeup.wait(upTo: min(renewal, interval))
                    try Task.checkCancellation()
                } else {
                    try await Task.sleep(for: min(renewal, interval))
                }
            }
        }
    }
}
