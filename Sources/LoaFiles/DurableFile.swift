#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
public import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif

/// The one way Loa replaces a file: write a temporary file beside it, flush it to
/// disk, give it the old file's mode (or `mode` for a new one), rename it over the
/// old one, then flush the folder so the rename itself survives a power cut.
/// Readers (mosquitto reloading on SIGHUP, a receiver restarting) see the old file
/// or the new one, never half of one, and after a power cut never an empty one.
public enum DurableFile {
    /// Replaces (or creates) `url` with `data`.
    /// - Parameters:
    ///   - mode: the permissions of a new file; an existing file keeps its own (and its
    ///     owner and group, where the process may set them) unless `exactMode`.
    ///   - exactMode: give the file `mode` even when it existed with another (a file
    ///     holding a secret).
    /// - Throws: ``FileError`` naming the file and the step that failed.
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644, exactMode: Bool = false) throws {
        _ = try put(data, at: url, mode: mode, exactMode: exactMode, replacing: true)
    }

    /// Replaces (or creates) `url` with `data`, as `write` does, for content that is never
    /// changed in place (such as a file named by its content's hash): by renaming a second
    /// name of `existing` over it (a hard link: no bytes written, only the folder flushed)
    /// when that file holds exactly `data` (read and compared, far cheaper than writing
    /// and flushing), else by writing them. The file keeps `existing`'s mode. Replacing
    /// either name later (by renaming, as `DurableFile` does) leaves the other as it was.
    /// - Throws: ``FileError`` naming the file and the step that failed.
    public static func write(_ data: Data, to url: URL, sameAs existing: URL?) throws {
        if let existing, (try? Data(contentsOf: existing)) == data, try linkAndRename(existing, over: url) { return }
        try write(data, to: url)
    }

    /// Links `existing` under a temporary name beside `url` and renames that over `url`.
    /// - Returns: false, with nothing done, where the two cannot share a file (other
    ///   filesystems, no hard links there, `existing` gone, no folder for `url`).
    private static func linkAndRename(_ existing: URL, over url: URL) throws -> Bool {
        func failure(_ step: String) -> FileError { FileError(.write, path: url.path, step: step, errno: errno) }
        let temporary = temporaryPath(for: url)
        guard systemLink(existing.path, temporary) == 0 else {
            switch errno {
            case EXDEV, EPERM, ENOENT, EMLINK, EOPNOTSUPP: return false
            default: throw failure("link")
            }
        }
        guard rename(temporary, url.path) == 0 else {
            let failed = failure("rename")
            unlink(temporary)
            throw failed
        }
        try flushFolder(url.deletingLastPathComponent().path, failure)
        return true
    }

    /// A name beside `url` for the file that will replace it.
    private static func temporaryPath(for url: URL) -> String {
        url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
    }

    /// Writes the temporary file, then renames it over `url` (`replacing`) or links it
    /// to `url` only where nothing is (false when something already was).
    private static func put(_ data: Data, at url: URL, mode: mode_t, exactMode: Bool, replacing: Bool) throws -> Bool {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = temporaryPath(for: url)
        func failure(_ step: String) -> FileError { FileError(.write, path: path, step: step, errno: errno) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("create") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            var old = stat()
            if !exactMode, stat(path, &old) == 0 {
                _ = fchown(fd, old.st_uid, old.st_gid)  // needs privileges; keeping the mode is what matters
                guard fchmod(fd, old.st_mode & 0o7777) == 0 else { throw failure("chmod") }
            } else {
                guard fchmod(fd, mode) == 0 else { throw failure("chmod") }
            }
            let written = data.withUnsafeBytes { buffer -> Int in
                var offset = 0
                while offset < buffer.count {
                    let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 { if errno == EINTR { continue } else { return -1 } }
                    offset += n
                }
                return offset
            }
            guard written == data.count else { throw failure("write") }
            guard fsync(fd) == 0 else { throw failure("fsync") }
        }
        if replacing {
            guard rename(temporary, path) == 0 else { throw failure("rename") }
            renamed = true
        } else if systemLink(temporary, path) != 0 {
            // Another process made it first: theirs stands (the temporary file goes).
            if errno == EEXIST { return false }
            throw failure("link")
        }
        try flushFolder(folder, failure)
        return true
    }

    /// Puts the finished file `source` (written in place, e.g. a download) at `url`:
    /// flushed to disk, renamed over whatever was there, the folder flushed.
    /// - Throws: ``FileError`` naming the file and the step that failed.
    public static func moveIntoPlace(_ source: URL, to url: URL) throws {
        func failure(_ step: String) -> FileError { FileError(.write, path: url.path, step: step, errno: errno) }
        let fd = open(source.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open") }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced else { throw failure("fsync") }
        guard rename(source.path, url.path) == 0 else { throw failure("rename") }
        try flushFolder(url.deletingLastPathComponent().path, failure)
    }

    /// Flushes `folder` so that a name made or changed in it survives a power cut.
    private static func flushFolder(_ folder: String, _ failure: (String) -> FileError) throws {
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw failure("open the folder") }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw failure("fsync the folder") }
    }

    /// Writes `url` with `data` only when it does not exist yet (a key made at first use),
    /// whole or not at all, with exactly `mode`. Of two processes making it at once, one
    /// makes it and the other finds it made.
    /// - Returns: false when the file was already there (it is left as it was).
    @discardableResult
    public static func create(_ data: Data, at url: URL, mode: mode_t) throws -> Bool {
        guard !FileManager.default.fileExists(atPath: url.path) else { return false }
        return try put(data, at: url, mode: mode, exactMode: true, replacing: false)
    }
}

private func systemLink(_ existing: String, _ new: String) -> Int32 {
    #if canImport(Glibc)
    Glibc.link(existing, new)
    #else
    Darwin.link(existing, new)
    #endif
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
