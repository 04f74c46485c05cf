public import Foundation

/// A fresh directory under the system's temp dir, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// Makes a new empty directory whose name starts with `prefix`.
    public init(prefix: String = "loa-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Deletes the directory and all it holds.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
