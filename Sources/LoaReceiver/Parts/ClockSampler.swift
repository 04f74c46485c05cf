public import LoaProtocol
import LoaDomain

/// Measures a device's own clock against the controller's: several NTP-style exchanges
/// in a row (16 on a steady link, 48 on a jittery one), made into one ``ClockOffsetEstimate``.
public struct ClockSampler: Sendable {
    /// Where the controller's clock is read.
    public let source: any ControllerTimeSource
    /// The device's own clock (uncorrected), which stamps each exchange's sending and receipt.
    public let clock: any InstantClock
    /// How many exchanges one estimate is made from at least, and how many more are made
    /// at a time while the link is not steady (see ``steadyLinkJitterMs``).
    public var samples = 16
    /// The most exchanges of one estimate: on a jittery link (4G: 100 ± 50 ms each way)
    /// the fastest request and response of 16 are still several ms off the link's least
    /// delay, and the estimate by half their difference; 48 bring that to about a third.
    public var maximumSamples = 48
    /// A link whose round trips spread by no more than this (the median's above the least)
    /// is steady, and its first 16 exchanges are enough. Any other link takes all
    /// ``maximumSamples``: stopping early because the bounds *looked* tight was wrong one
    /// time in ten on a 4G-like link, and that tail is what spreads speakers apart (a
    /// simulation of 20,000 rounds: error p99 9.5 ms stopping early, 4.5 ms with all 48).
    public var steadyLinkJitterMs = 3.0
    /// The pause between two exchanges, so that they meet different queues.
    public var spacing: Duration = .milliseconds(50)
    /// How long one exchange may take before it is given up and the next is made (real
    /// time): a request whose answer never comes must not stop the clock being measured.
    public var exchangeTimeout: Duration = .seconds(5)

    public init(source: any ControllerTimeSource, clock: any InstantClock) {
        self.source = source
        self.clock = clock
    }

    /// The estimate from this round's exchanges, and the last error met (nil when all went through).
    /// The estimate is nil when no exchange went through or the task was cancelled.
    public func estimate() async -> (estimate: ClockOffsetEstimate?, lastError: (any Error)?) {
        var exchanges: [ClockExchange] = []
        var lastError: (any Error)?
        for sample in 0..<max(samples, maximumSamples) {
            if sample >= samples, sample % samples == 0, isSteady(exchanges) {
                break
            }
            if sample > 0 {
                do { try await clock.sleep(for: spacing) } catch { return (nil, error) }
            }
            do {
                exchanges.append(try await exchange(within: exchangeTimeout))
            } catch {
                if Task.isCancelled { return (nil, error) }
                lastError = error
            }
        }
        return (ClockOffsetEstimate.best(of: exchanges), lastError)
    }

    /// One exchange, given up (its request cancelled) after `timeout`. The device's clock
    /// is read right around the request, inside the task that makes it: the hops into and
    /// out of that task (milliseconds on a loaded board) are not counted as network time.
    private func exchange(within timeout: Duration) async throws -> ClockExchange {
        try await withThrowingTaskGroup(of: ClockExchange?.self) { group in
            group.addTask {
                let sent = clock.now
                let reading = try await source.read()
                return ClockExchange(sent: sent, controller: reading, received: clock.now)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let exchange = try await group.next() ?? nil else { throw ClockExchangeTimeout(seconds: timeout.seconds) }
            return exchange
        }
    }

    /// Whether the round trips so far spread by no more than ``steadyLinkJitterMs``.
    func isSteady(_ exchanges: [ClockExchange]) -> Bool {
        let roundTrips = exchanges.map(\.roundTripMs).filter { $0 >= 0 }.sorted()
        guard !roundTrips.isEmpty else { return false }
        return roundTrips[roundTrips.count / 2] - roundTrips[0] <= steadyLinkJitterMs
    }
}

/// A clock exchange whose answer did not come in time.
public struct ClockExchangeTimeout: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "the controller's clock did not answer within \(seconds) s" }
}
