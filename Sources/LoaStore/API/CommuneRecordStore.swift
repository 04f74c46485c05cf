public import Foundation

/// Small documents of a commune that its controllers keep in the shared database
/// (PostgreSQL) instead of a shared folder: its signing keys and media secret
/// (`CommuneRecord.keys`, the private part sealed by the controllers) and its device
/// registry (`CommuneRecord.deviceRegistry`). The store does not read them.
///
/// Every change names the revision it replaces, so of two controllers (or a controller
/// and `loa device add`) changing one at once, one wins and the other reads again.
public protocol CommuneRecordStore: Sendable {
    /// The record `name` as stored; nil before anyone stored it.
    func communeRecord(_ name: CommuneRecord) async throws -> StoredCommuneRecord?
    /// Stores `body` as the first revision of `name` unless one is stored already
    /// (another controller was first).
    /// - Returns: what is stored now: `body`, or the other's.
    func createCommuneRecord(_ name: CommuneRecord, body: Data, at now: Date) async throws -> StoredCommuneRecord
    /// Replaces `name` with `body` if it is still at `revision`.
    /// - Returns: false when someone changed it first (nothing is written).
    func replaceCommuneRecord(_ name: CommuneRecord, body: Data, replacing revision: Int64, at now: Date) async throws -> Bool
}

/// The records a commune keeps in the shared database.
public enum CommuneRecord: String, Sendable {
    /// Signing keys (public history and sealed private keys) and media secret.
    case keys
    /// The device registry (`devices.json` of a commune on its own).
    case deviceRegistry = "device-registry"
}

/// One revision of a commune's record.
public struct StoredCommuneRecord: Sendable, Equatable {
    public var body: Data
    /// 1 for the first, one more with every change.
    public var revision: Int64

    public init(body: Data, revision: Int64) {
        (self.body, self.revision) = (body, revision)
    }
}

extension CommuneRecordStore {
    /// The record `name`, stored first as `first()` when there is none yet.
    public func communeRecord(_ name: CommuneRecord, orFirst first: () throws -> Data) async throws -> StoredCommuneRecord {
        if let stored = try await communeRecord(name) { return stored }
        return try await createCommuneRecord(name, body: try first(), at: Date())
    }

    /// Replaces the body of `name` with what `change` makes of it, reading it again and
    /// again applying `change` when someone else changed it meanwhile.
    /// - Parameter change: the new body (nil to leave it as it is) and a result.
    /// - Returns: the result of `change` on the revision it was applied to.
    public func changeCommuneRecord<Result>(
        _ name: CommuneRecord, orFirst first: () throws -> Data, _ change: (Data) throws -> (body: Data?, result: Result)
    ) async throws -> Result {
        for _ in 0..<10 {
            let stored = try await communeRecord(name, orFirst: first)
            let (body, result) = try change(stored.body)
            guard let body, body != stored.body else { return result }
            if try await replaceCommuneRecord(name, body: body, replacing: stored.revision, at: Date()) { return result }
        }
        throw CommuneRecordError.busy(name)
    }
}

/// A record others kept changing.
public enum CommuneRecordError: Error, CustomStringConvertible {
    case busy(CommuneRecord)

    public var description: String {
        switch self {
        case .busy(let name):
            "\(name.rawValue) của xã bị đổi 10 lần liền trong lúc ghi; thử lại (\(name.rawValue) changed by others 10 times in a row; try again)"
        }
    }
}
