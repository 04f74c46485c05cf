public import Foundation

/// Failed logins counted within `window`, three ways, each with its own limit; past
/// one, further attempts it covers are refused for the rest of the window without
/// checking the password:
///
/// - a name **from one address**: 5 (someone guessing one password): the others in
///   the same commune office, behind the same address, still log in;
/// - a name **from any address**: 20 (guessing spread over many addresses);
/// - an address **for any names**: 30 (one password tried on many names).
///
/// A success unlocks nothing and resets nothing (an attacker with an account of their
/// own could otherwise clear their address's count between guesses). Kept in memory:
/// a restart forgets it. A value type with no clock of its own; callers pass the time.
public struct LoginThrottle: Sendable {
    /// Failures that lock a name from one address.
    public var maximumFailures = 5
    /// Failures that lock a name whatever the address.
    public var maximumFailuresPerName = 20
    /// Failures that lock an address whatever the name.
    public var maximumFailuresPerAddress = 30
    /// How long a failure counts (15 minutes).
    public var window: TimeInterval = 15 * 60
    private var failures: [Key: [Date]] = [:]

    private enum Key: Hashable {
        case nameFromAddress(String, String)
        case name(String)
        case address(String)
    }

    public init() {}

    /// Seconds until an attempt for `name` from `address` may be made again; nil when it may be made now.
    public mutating func retryAfter(name: String, address: String?, now: Date) -> TimeInterval? {
        prune(now: now)
        let waits = keys(name: name, address: address).compactMap { key -> TimeInterval? in
            let limit = limit(of: key)
            guard let times = failures[key], times.count >= limit else { return nil }
            // The count drops below the limit when this failure leaves the window.
            return times[times.count - limit].addingTimeInterval(window).timeIntervalSince(now)
        }
        return waits.max()
    }

    /// Counts a failed attempt against the name and the address.
    public mutating func recordFailure(name: String, address: String?, now: Date) {
        for key in keys(name: name, address: address) { failures[key, default: []].append(now) }
    }

    private func keys(name: String, address: String?) -> [Key] {
        let name = name.lowercased()
        // Without an address, the name's own limit is the one that can hold.
        guard let address else { return [.nameFromAddress(name, ""), .name(name)] }
        return [.nameFromAddress(name, address), .name(name), .address(address)]
    }

    private func limit(of key: Key) -> Int {
        switch key {
        case .nameFromAddress: maximumFailures
        case .name: maximumFailuresPerName
        case .address: maximumFailuresPerAddress
        }
    }

    private mutating func prune(now: Date) {
        failures = failures.compactMapValues { times in
            let recent = times.filter { now < $0 + window }
            return recent.isEmpty ? nil : recent
        }
    }
}
