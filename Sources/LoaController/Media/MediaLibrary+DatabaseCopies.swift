public import Foundation
import Logging
import LoaDomain
import LoaFiles
import LoaProtocol
import LoaStore

/// The media folder and the database's copies (`MediaCopies`, on PostgreSQL): what one
/// controller stores, another with a folder of its own can serve.
extension MediaLibrary {
    /// Stores `data` in the media folder (as a second name of `file`, which holds the same
    /// bytes, where it can) and, on a shared database, there too; its SHA-256.
    func keep(_ data: Data, sameAs file: URL? = nil) async throws -> String {
        let sha256 = try files.store(data, sameAs: file)
        try await copies?.keepCopy(data, sha256: sha256)
        return sha256
    }

    /// The file of media `sha256` in this controller's folder: there already, or taken
    /// from the database's copy (checked against its hash) when another controller
    /// stored it; nil when neither holds it. Receivers asking for it at once (an
    /// emergency's audio) wait for one fetch from the database.
    public func localFile(sha256: String) async -> URL? {
        let file = files.url(for: sha256)
        if FileManager.default.fileExists(atPath: file.path) { return file }
        guard copies != nil, MediaReference.isSHA256(sha256) else { return nil }
        return await Self.databaseFetches.value(for: file.path) { await fileFromDatabase(sha256: sha256) } ? file : nil
    }

    private static let databaseFetches = InFlight<Bool>()
    /// Media found damaged with no right copy to replace it, said once each.
    private static let toldDamaged = BoundedMemo<String, Bool>(capacity: 1024)

    /// Takes media `sha256` from the database into the folder; false when it is not there or not right.
    private func fileFromDatabase(sha256: String) async -> Bool {
        guard let data = await verifiedCopy(sha256: sha256) else { return false }
        do {
            _ = try files.store(data)
            return true
        } catch {
            logger.error("cannot take media from the database", metadata: ["sha256": "\(sha256)", "error": "\(error)"])
            return false
        }
    }

    /// Makes this controller's file of media `sha256`, found not to be the bytes of its
    /// hash (damaged on disk) or unreadable, right again: by the database's copy, checked
    /// against its hash, where there is one (PostgreSQL). Logged: a warning when the file
    /// is replaced; an error, once per media, when nothing right can replace it (on
    /// SQLite there is no copy), the receivers asking being told to ask again later.
    /// Receivers asking at once wait for one replacement.
    /// - Returns: whether the file is the bytes of its hash now.
    func replaceDamagedFile(sha256: String) async -> Bool {
        let file = files.url(for: sha256)
        let right = await Self.databaseFetches.value(for: "replace " + file.path) { [self] in
            // Found right by now: replaced meanwhile, or it could not be read for a moment.
            if let data = files.data(for: sha256), MediaDigest.sha256(data) == sha256 { return true }
            guard let data = await verifiedCopy(sha256: sha256) else { return false }
            do {
                try DurableFile.write(data, to: file)
            } catch {
                logger.error("cannot replace a damaged media file", metadata: ["sha256": "\(sha256)", "error": "\(error)"])
                return false
            }
            logger.warning(
                "media file was not the bytes of its hash: replaced by the database's copy",
                metadata: ["sha256": "\(sha256)", "file": "\(file.path)"])
            return true
        }
        if !right {
            _ = Self.toldDamaged.value(for: file.path) {
                logger.error(
                    "media file is not the bytes of its hash and no right copy replaces it: receivers are told to ask again later",
                    metadata: ["sha256": "\(sha256)", "file": "\(file.path)"])
                return true
            }
        }
        return right
    }

    /// The database's copy of media `sha256` when there is one and it is the bytes of its hash.
    private func verifiedCopy(sha256: String) async -> Data? {
        guard let copies else { return nil }
        do {
            guard let data = try await copies.copy(sha256: sha256) else { return nil }
            guard MediaDigest.sha256(data) == sha256 else {
                logger.error("the database's copy of media does not match its hash; not used", metadata: ["sha256": "\(sha256)"])
                return nil
            }
            return data
        } catch {
            logger.error("cannot take media from the database", metadata: ["sha256": "\(sha256)", "error": "\(error)"])
            return nil
        }
    }

    /// Copies into the database the files of the folder it has no copy of (media stored
    /// before it kept copies, schema v9), so other controllers can serve them; run at start.
    /// - Returns: how many were copied.
    @discardableResult
    public func copyFolderToDatabase() async throws -> Int {
        guard let copies else { return 0 }
        let names = try FileManager.default.contentsOfDirectory(atPath: files.directory.path).filter(MediaReference.isSHA256)
        var copied = 0
        for sha256 in try await copies.withoutCopy(names) {
            // A file whose bytes no longer match its name is not spread further.
            guard let data = files.data(for: sha256), MediaDigest.sha256(data) == sha256 else { continue }
            try await copies.keepCopy(data, sha256: sha256)
            copied += 1
        }
        return copied
    }

    /// The bytes of media `sha256` (`localFile(sha256:)`), nil when neither the folder nor the database holds them.
    public func bytes(sha256: String) async -> Data? {
        guard let file = await localFile(sha256: sha256) else { return nil }
        return try? Data(contentsOf: file)
    }
}
