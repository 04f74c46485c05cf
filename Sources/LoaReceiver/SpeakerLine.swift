#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaDomain
import LoaProtocol

/// A receiver's one sound output, and who may use it when (MIC Circular 39/2020:
/// normal < priority < emergency).
///
/// An item claims the speaker with ``acquire(_:)`` shortly before its instant and gives
/// it back with ``release(_:)`` when its playback has ended. The rules:
///
/// - **Preemption.** A claim of a *higher* class than the item holding the speaker, whose
///   instant comes while that item would still be playing, stops the holder at once: the
///   holder's ``Turn/stop`` is triggered, so its ALSA playback drops what is queued, and the
///   claim is next in line. Since the claim is made a moment before its instant (the
///   receiver's speaker lead), the speaker is free and prepared by then. The holder learns
///   who stopped it from ``release(_:)``; it is not resumed.
/// - **Turns.** A claim of an equal or lower class never interrupts: it waits until the
///   speaker is released. Waiting claims are served highest class first, then in the order
///   they came (so an emergency also jumps ahead of waiting normal items).
actor SpeakerLine {
    /// An item asking for the speaker.
    struct Claim: Sendable, Equatable {
        /// The scheduled item (its class, title and instant decide and explain the turn).
        var item: ScheduledItem
        /// How long its audio plays, in seconds: how long it would hold the speaker.
        var duration: TimeInterval
    }

    /// The speaker, held by one claim until ``SpeakerLine/release(_:)``.
    struct Turn: Sendable {
        /// Identifies the turn to the line.
        fileprivate let ticket: Int
        /// Hand it to `ALSAPlayer.play(_:at:stop:)`: the line triggers it when a
        /// higher-class item preempts this one.
        let stop: PlaybackStop
    }

    private struct Holder {
        var ticket: Int
        var claim: Claim
        var stop: PlaybackStop
        /// When the holder's playback is expected to end.
        var busyUntil: Date
        /// The highest-class claim that stopped the holder, if any.
        var preemptedBy: Claim?
    }

    private struct Waiter {
        var ticket: Int
        var claim: Claim
        var continuation: CheckedContinuation<Turn?, Never>
    }

    private let clock: any InstantClock
    private var holder: Holder?
    private var waiting: [Waiter] = []
    private var lastTicket = 0

    /// A free speaker; `clock` tells when a granted item starts (to know when it would end).
    init(clock: any InstantClock = SystemInstantClock()) {
        self.clock = clock
    }

    /// Waits for the speaker and returns the turn, preempting the holder first when the
    /// claim is of a higher class and its instant comes before the holder would end.
    ///
    /// Returns nil when the calling task is cancelled while waiting (it then holds nothing).
    /// A turn returned to a task cancelled meanwhile must still be released.
    func acquire(_ claim: Claim) async -> Turn? {
        lastTicket += 1
        let ticket = lastTicket
        guard var current = holder else { return grant(ticket, claim) }
        if claim.item.priority > current.claim.item.priority, current.busyUntil > claim.item.startAt {
            if current.preemptedBy.map({ claim.item.priority > $0.item.priority }) ?? true {
                current.preemptedBy = claim
                holder = current
            }
            current.stop.stop()
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiting.append(Waiter(ticket: ticket, claim: claim, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.withdraw(ticket) }
        }
    }

    /// Gives the speaker back and hands it to the next waiting claim (highest class, then
    /// oldest). Returns the claim that preempted this turn, or nil when none did.
    @discardableResult
    func release(_ turn: Turn) -> Claim? {
        guard let current = holder, current.ticket == turn.ticket else { return nil }
        holder = nil
        if let index = nextWaiterIndex() {
            let next = waiting.remove(at: index)
            next.continuation.resume(returning: grant(next.ticket, next.claim))
        }
        return current.preemptedBy
    }

    /// The item holding the speaker, if any (for tests and status).
    var holderItem: String? { holder?.claim.item.id }

    /// The items waiting for the speaker, in the order they will get it (for tests and status).
    var waitingItems: [String] {
        waiting.sorted { Self.goesFirst($0, $1) }.map(\.claim.item.id)
    }

    private func grant(_ ticket: Int, _ claim: Claim) -> Turn {
        let stop = PlaybackStop()
        let start = max(claim.item.startAt, clock.now)
        holder = Holder(
            ticket: ticket, claim: claim, stop: stop, busyUntil: start.addingTimeInterval(claim.duration),
            preemptedBy: nil)
        return Turn(ticket: ticket, stop: stop)
    }

    private func nextWaiterIndex() -> Int? {
        waiting.indices.min { Self.goesFirst(waiting[$0], waiting[$1]) }
    }

    /// Higher class first; within a class, the claim that came first.
    private static func goesFirst(_ lhs: Waiter, _ rhs: Waiter) -> Bool {
        if lhs.claim.item.priority != rhs.claim.item.priority {
            return lhs.claim.item.priority > rhs.claim.item.priority
        }
        return lhs.ticket < rhs.ticket
    }

    /// Drops a cancelled task's claim from the queue and wakes it with nil.
    private func withdraw(_ ticket: Int) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).continuation.resume(returning: nil)
    }
}
