public import Foundation

/// Failed logins counted per user name and per client address: after
/// `maximumFailures` within `window`, further attempts are refused for the rest
/// of the window without checking the password. A success unlocks nothing and
/// resets nothing (an attacker with an account of their own could otherwise
/// clear their address's count between guesses). Kept in memory: a restart
/// forgets it. A value type with no clock of its own; callers pass the time.
public struct LoginThrottle: Sendable {
    /// Failures that lock a name or an address.
    public var maximumFailures = 5
    /// How long a failure counts (15 minutes).
    public var window: TimeInterval = 15 * 60
    private var failures: [Key: [Date]] = [:]

    private enum Key: Hashable {
        case name(String)
        case address(String)
    }

    public init() {}

    /// Seconds until an attempt for `name` from `address` may be made again; nil when it may be made now.
    public mutating func retryAfter(name: String, address: String?, now: Date) -> TimeInterval? {
        prune(now: now)
        let waits = keys(name: name, address: address).compactMap { key -> TimeInterval? in
            guard let times = failures[key], times.count >= maximumFailures else { return nil }
            // The count drops below the limit when this failure leaves the window.
            return times[times.count - maximumFailures].addingTimeInterval(window).timeIntervalSince(now)
        }
        return waits.max()
    }

    /// Counts a failed attempt against the name and the address.
    public mutating func recordFailure(name: String, address: String?, now: Date) {
        for key in keys(name: name, address: address) { failures[key, default: []].append(now) }
    }

    private func keys(name: String, address: String?) -> [Key] {
        [.name(name.lowercased())] + (address.map { [.address($0)] } ?? [])
    }

    private mutating func prune(now: Date) {
        failures = failures.compactMapValues { times in
            let recent = times.filter { now < $0 + window }
            return recent.isEmpty ? nil : recent
        }
    }
}
