public import Foundation
import Synchronization

/// A fresh directory under the system's temp dir, removed by `remove()`, or when the
/// test process exits for one made `removedAtExit`.
public struct TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// Makes a new empty directory whose name starts with `prefix`.
    /// - Parameter removedAtExit: also remove it when the process exits normally, for a
    ///   directory whose users cannot tell when the last of them is done with it.
    public init(prefix: String = "loa-test", removedAtExit: Bool = false) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if removedAtExit { AtExit.remove(url) }
    }

    /// A path inside the directory.
    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Deletes the directory and all it holds.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Directories removed when the process exits.
private enum AtExit {
    private static let directories: Mutex<[URL]?> = Mutex(nil)

    static func remove(_ url: URL) {
        let first = directories.withLock { list in
            defer { list = (list ?? []) + [url] }
            return list == nil
        }
        if first { atexit { AtExit.removeAll() } }
    }

    private static func removeAll() {
        for url in directories.withLock({ $0 ?? [] }) { try? FileManager.default.removeItem(at: url) }
    }
}
