public import Foundation

/// Leases on the commune's periodic jobs (republishing the hamlets' documents,
/// signing checkpoints), so that of several controllers exactly one does each at a
/// time, and another takes over when its holder stops renewing.
public protocol LeaseStore: Sendable {
    /// Takes or renews the lease on `job` for `holder` until `now + duration`, unless
    /// another holder's lease runs past `now`.
    /// - Returns: true when `holder` holds the lease now.
    func acquireLease(job: String, holder: String, for duration: TimeInterval, at now: Date) async throws -> Bool
    /// Gives the lease up (at shutdown), so another controller need not wait for it to run out.
    func releaseLease(job: String, holder: String) async throws
}
