#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own for work that blocks (ALSA writes, `waitpid`, libmosquitto's
/// loop), so it never holds a thread of Swift's cooperative pool, which has one per core.
///
/// A POSIX thread, not Foundation's `Thread`: starting one of those sets up
/// CoreFoundation's per-thread state and keeps its code resident in every receiver.
public enum OwnThread {
    /// Starts a detached thread that runs `body`, then ends.
    /// - Parameters:
    ///   - name: as `top -H` and `/proc/PID/task/*/comm` show it (its first 15 bytes).
    ///   - stackSize: bytes of stack (raised to the system's least).
    public static func start(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, max(stackSize, Int(PTHREAD_STACK_MIN)))
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { start in
            Unmanaged<Start>.fromOpaque(start!).takeRetainedValue().run()
            return nil
        }, start)
        precondition(result == 0, "pthread_create failed: \(String(cString: strerror(result)))")
    }
}

/// What a new thread runs: its name set, then its body.
private final class Start: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        // pthread_setname_np is not visible to Swift without _GNU_SOURCE; the kernel's
        // own file for the calling thread's name is (at most 15 bytes, as it allows).
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        if descriptor >= 0 {
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        body()
    }
}
