#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be read or written: its path, the step that failed and the
/// system's reason, as `cannot read /etc/loa/receiver.json: open: No such file or
/// directory`.
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// What was being done with the file.
    public enum Access: String, Sendable {
        case read, write
    }

    public var access: Access
    public var path: String
    /// The step that failed: `open`, `read`, `create`, `fsync the folder`…
    public var step: String
    /// The system's words for the failure (`strerror`).
    public var reason: String

    public init(_ access: Access, path: String, step: String, reason: String) {
        (self.access, self.path, self.step, self.reason) = (access, path, step, reason)
    }

    /// The failure `errno` names.
    init(_ access: Access, path: String, step: String, errno code: Int32) {
        self.init(access, path: path, step: step, reason: String(cString: strerror(code)))
    }

    public var description: String { "cannot \(access.rawValue) \(path): \(step): \(reason)" }
}
