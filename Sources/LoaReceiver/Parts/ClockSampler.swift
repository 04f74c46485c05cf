public import LoaProtocol

/// Measures a device's own clock against the controller's: several NTP-style exchanges
/// in a row, made into one ``ClockOffsetEstimate``.
public struct ClockSampler: Sendable {
    /// Where the controller's clock is read.
    public let source: any ControllerTimeSource
    /// The device's own clock (uncorrected), which stamps each exchange's sending and receipt.
    public let clock: any InstantClock
    /// How many exchanges one estimate is made from.
    public var samples = 16
    /// The pause between two exchanges, so that they meet different queues.
    public var spacing: Duration = .milliseconds(50)

    public init(source: any ControllerTimeSource, clock: any InstantClock) {
        self.source = source
        self.clock = clock
    }

    /// The estimate from this round's exchanges, and the last error met (nil when all went through).
    /// The estimate is nil when no exchange went through or the task was cancelled.
    public func estimate() async -> (estimate: ClockOffsetEstimate?, lastError: (any Error)?) {
        var exchanges: [ClockExchange] = []
        var lastError: (any Error)?
        for sample in 0..<samples {
            if sample > 0 {
                do { try await clock.sleep(for: spacing) } catch { return (nil, error) }
            }
            let sent = clock.now
            do {
                let reading = try await source.read()
                exchanges.append(ClockExchange(sent: sent, controller: reading, received: clock.now))
            } catch {
                lastError = error
            }
        }
        return (ClockOffsetEstimate.best(of: exchanges), lastError)
    }
}
