public import Foundation

/// A commune's signing keys and media secret kept in the shared database (PostgreSQL),
/// so that its controllers need no shared folder: the one that rotates the key writes
/// the rotation here and the others read it before it takes over.
///
/// The store keeps two blobs it does not read: the public history of keys (JSON, for
/// `GET /log/keys` and `loa log verify`) and the private part, sealed by the
/// controllers with a key the database never sees. Every change names the revision it
/// replaces, so of two controllers changing the keys at once one wins and the other
/// reads again.
public protocol CommuneKeyStore: Sendable {
    /// The commune's keys as stored; nil before its first controller started.
    func communeKeys() async throws -> StoredCommuneKeys?
    /// Stores `history` and `sealed` as the commune's first keys unless some are
    /// stored already (another controller was first).
    /// - Returns: the keys stored now: these, or the other controller's.
    func createCommuneKeys(history: Data, sealed: Data, at now: Date) async throws -> StoredCommuneKeys
    /// Replaces the commune's keys if they are still at revision `replacing`.
    /// - Returns: false when another controller changed them first (nothing is written).
    func replaceCommuneKeys(history: Data, sealed: Data, replacing revision: Int64, at now: Date) async throws -> Bool
}

/// A commune's keys as one revision of its row.
public struct StoredCommuneKeys: Sendable, Equatable {
    /// The public history of keys (JSON of the controller's key records).
    public var history: Data
    /// The private keys and the media secret, sealed.
    public var sealed: Data
    /// Grows by one with every change.
    public var revision: Int64

    public init(history: Data, sealed: Data, revision: Int64) {
        (self.history, self.sealed, self.revision) = (history, sealed, revision)
    }
}
