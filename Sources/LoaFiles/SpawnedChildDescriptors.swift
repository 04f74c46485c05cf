#if canImport(Glibc)
public import Glibc
#endif

/// What a child started with `posix_spawn` inherits of its parent's open files.
///
/// By default every descriptor without `O_CLOEXEC` is inherited, and not all are
/// marked so: glibc's `popen` clears the flag on purpose (POSIX asks it to), ALSA and
/// libmosquitto open files and sockets without it. A child that inherits the write end
/// of another child's pipe keeps that pipe open as long as it lives: the reader never
/// sees its end, and a `pclose` waiting for the reader waits as long (a test server
/// started beside an ALSA pipe once held a test run until CI's time ran out).
public enum SpawnedChildDescriptors {
    /// Adds to `actions` the closing, in the child, of every descriptor from `lowest` on
    /// (glibc's `posix_spawn_file_actions_addclosefrom_np`, 2.34 and later; Debian 12 has
    /// 2.36, which Swift does not import).
    /// - Returns: false when this C library lacks it; the child then inherits them.
    @discardableResult
    public static func closeAll(from lowest: Int32, in actions: inout posix_spawn_file_actions_t) -> Bool {
        guard let closeFrom else { return false }
        return closeFrom(&actions, lowest) == 0
    }

    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
