import Foundation
import LoaProtocol
import LoaStore

/// Signs checkpoints of the transparency log into its history and publishes the
/// latest, retained, on `loa/v1/{site}/log/checkpoint` for auditors and receivers.
public struct CheckpointPublisher: Sendable {
    let log: any TransparencyLogStore
    let publisher: DownwardPublisher
    let topic: String
    let clock: @Sendable () -> Date

    /// Signs a checkpoint of the log as it is now and publishes it.
    /// - Returns: the signed note.
    @discardableResult
    public func publish() async throws -> String {
        let note = try await log.signCheckpoint(at: clock())
        try await publisher.publish("checkpoint", topic: topic, payload: Data(note.utf8), retain: true)
        return note
    }
}
