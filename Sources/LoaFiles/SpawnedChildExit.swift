import LoaThreads

#if canImport(Glibc)
public import Glibc
#endif

/// Waiting for a spawned child to end without holding a thread of Swift's cooperative
/// pool: `waitpid` blocks, and the pool has one thread per core (two such waits on a
/// 2-core board or test machine stall every task of the process).
public enum SpawnedChildExit {
    /// Waits for `pid` to end and reaps it, on a thread of its own named `threadName`.
    /// - Returns: its wait status (`waitpid`'s), or nil when it is not a child this
    ///   process can wait for (reaped already).
    public static func status(of pid: pid_t, threadName: String) async -> Int32? {
        await withCheckedContinuation { (done: CheckedContinuation<Int32?, Never>) in
            OwnThread.start(name: threadName, stackSize: 64 * 1024) {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 {
                    guard errno == EINTR else { return done.resume(returning: nil) }
                }
                done.resume(returning: status)
            }
        }
    }
}
