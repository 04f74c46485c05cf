import Foundation
import LoaDomain
import LoaStore
import Logging
import ServiceLifecycle

/// A periodic job of the commune that exactly one of its controllers runs: the one
/// holding the job's lease (`LeaseStore`). Every controller asks for the lease every
/// `renewal`; the holder renews it and runs the job every `interval`. When the holder
/// stops (killed, cut off), its lease runs out after `leaseDuration` and the next
/// controller to ask takes it over and runs the job at once: within
/// `leaseDuration + renewal` (40 s by default). A single controller always holds it.
/// Turns fall on multiples of the shorter of `renewal` and `interval` on the system clock
/// (``untilNextTurn(of:now:)``).
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
    /// Called on each turn the lease is not held (another controller holds it).
    var notHeld: (@Sendable () -> Void)? = nil
    /// Whether the controller taking the lease on runs the job at once (the one before
    /// may have stopped before its turn), or an `interval` later (a job each controller
    /// also does when it starts, whose interval is long beside what it keeps fresh).
    var runsOnTakeOver = true
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

    /// The next multiple of `period` on the system clock (a turn that would come less
    /// than a twentieth of `period` from now, from a timer that fired early, is skipped).
    /// Every job of every commune asks for its lease on the same grid, so the requests of
    /// a process serving many communes go out together (`LeaseRequests` on PostgreSQL:
    /// one statement, not one per job and commune).
    static func nextTurn(of period: Duration, now: Date) -> Date {
        let length = period.seconds
        guard length > 0 else { return now }
        var left = length - now.timeIntervalSince1970.truncatingRemainder(dividingBy: length)
        if left < length / 20 { left += length }
        return now.addingTimeInterval(left)
    }

    /// The time to ``nextTurn(of:now:)``.
    static func untilNextTurn(of period: Duration, now: Date) -> Duration {
        .milliseconds(Int64((nextTurn(of: period, now: now).timeIntervalSince(now) * 1000).rounded()))
    }

    /// The time between turns: the shorter of `renewal` and `interval`.
    private var turn: Duration { min(renewal, interval) }

    /// Whether the job runs on the turn due at `turnAt`, its last run having been on the
    /// turn due at `lastRun` (or the lease taken on then): when `interval` has passed
    /// between the two, measured from when each turn was due, not from when its lease
    /// statement was answered. Measured from the answer, a slower statement on the next
    /// turn made the job skip that turn (the events intake then stopped taking events in
    /// for a moment every 20 s). A millisecond is allowed for the arithmetic.
    static func isDue(turnAt: Date, lastRun: Date, interval: Duration) -> Bool {
        turnAt.timeIntervalSince(lastRun) >= interval.seconds - 0.001
    }

    private func runWhileHeld() async throws {
        try await cancelWhenGracefulShutdown {
            let wakeup = wakeups.map { _ in JobWakeup() }
            let feeding = wakeups.map { wakeups in Task { for await _ in wakeups { wakeup?.poke() } } }
            defer { feeding?.cancel() }
            // When this turn was due (the first at once), and the turn of the last run.
            var turnAt = Date()
            var lastRun: Date?
            var poked = false
            while !Task.isCancelled {
                do {
                    if try await leases.acquireLease(job: name, holder: holder, for: leaseDuration, at: clock()) {
                        if lastRun == nil {
                            logger.notice("job taken on", metadata: ["job": "\(name)", "holder": "\(holder)"])
                            // Not run on taking it on: the first run an interval from now.
                            if !runsOnTakeOver { lastRun = turnAt }
                        }
                        if poked || lastRun.map({ Self.isDue(turnAt: turnAt, lastRun: $0, interval: interval) }) ?? true {
                            lastRun = turnAt
                            try await job()
                        }
                    } else {
                        lastRun = nil
                        notHeld?()
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("job not done; trying again", metadata: ["job": "\(name)", "error": "\(error)"])
                }
                let now = Date()
                let nextTurn = Self.nextTurn(of: turn, now: now)
                let untilNextTurn = Duration.milliseconds(Int64((nextTurn.timeIntervalSince(now) * 1000).rounded()))
                if let wakeup {
                    poked = await wakeup.wait(upTo: untilNextTurn)
                    try Task.checkCancellation()
                } else {
                    try await Task.sleep(for: untilNextTurn)
                }
                turnAt = poked ? Date() : nextTurn
            }
        }
    }
}
