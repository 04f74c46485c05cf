#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaDomain
import LoaMQTT
import LoaProtocol
import Logging

/// Sends the outbox's events to the controller and clears them on receipt.
///
/// Runs while the receiver runs: sends what is due when woken (a new event) or
/// every `tick`, resends what got no receipt within `resendAfter`, and sends
/// nothing while the broker is away (the outbox holds it).
struct EventSender: Sendable {
    let outbox: EventOutbox
    let link: any BrokerLink
    let clock: any InstantClock
    let topic: String
    var tick: Duration = .seconds(1)
    var resendAfter: Duration = .seconds(10)
    let logger: Logger

    /// Sends until `wakeUps` ends.
    func run(wakeUps: AsyncStream<Void>) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // A timer turn counts as a wake-up: it resends what got no receipt.
                while !Task.isCancelled {
                    try? await clock.sleep(for: tick)
                    await sendDue()
                }
            }
            for await _ in wakeUps { await sendDue() }
            group.cancelAll()
        }
    }

    private func sendDue() async {
        guard link.state == .connected else { return }
        do {
            let now = clock.now
            let due = try outbox.takeDue(now: now, resendBefore: now.addingTimeInterval(-resendAfter.seconds))
            for event in due {
                try await link.publish(topic: topic, payload: event.payload, qos: .atLeastOnce, retain: false)
            }
        } catch {
            logger.warning("events not sent yet", metadata: ["error": "\(error)"])
        }
    }

    /// Applies a receipt from the controller.
    func accept(receipt payload: Data) {
        do {
            try outbox.confirm(try WireCoding.decode(EventReceipt.self, from: payload).events)
        } catch {
            logger.warning("receipt not applied", metadata: ["error": "\(error)"])
        }
    }
}
