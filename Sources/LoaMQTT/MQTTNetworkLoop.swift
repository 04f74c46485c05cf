import CMosquitto
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread that drives the sockets of many MQTT clients with `poll(2)`.
///
/// Why not `mosquitto_loop_start` (a thread per client)? A receiver needs one
/// client, but the fleet simulator and a province controller hold thousands of
/// them in one process: a thread each costs a stack and a context switch per
/// packet. Here every libmosquitto call for a client happens on this loop's
/// thread, so the library is used single-threaded (no `mosquitto_threaded_set`),
/// its callbacks run on this thread, and Swift code reaches a client only by
/// submitting a job (`execute`) that the loop runs in order.
public final class MQTTNetworkLoop: Sendable {
    /// The loop shared by every client that does not ask for its own.
    public static let shared = MQTTNetworkLoop(name: "loa-mqtt")

    /// Work submitted from any thread, run in order on the loop thread.
    private struct Pending {
        var jobs: [@Sendable () -> Void] = []
    }

    private let pending = Mutex(Pending())
    private let counters = LoopCounters()
    private let threadID = Mutex<pthread_t?>(nil)
    private let wakeFD: Int32
    /// The clients this loop drives; touched only on the loop thread.
    private let clients: LoopBound<ClientRegistry>

    /// Starts the loop's thread.
    /// - Parameter name: the thread's name, as `top -H` shows it.
    public init(name: String) {
        _ = MosquittoLibrary.initialised
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
        clients = LoopBound(ClientRegistry())
        let thread = Thread { [self] in
            // Foundation's `Thread.name` does not reach /proc/…/comm on Linux; this does
            // (at most 15 bytes), so `top -H` and the benchmarks find the loop by name.
            // (pthread_setname_np is not visible to Swift without _GNU_SOURCE.)
            try? Data(name.utf8.prefix(15)).write(to: URL(fileURLWithPath: "/proc/thread-self/comm"))
            self.run()
        }
        thread.name = name
        thread.start()
    }

    /// What the loop has done since it started; benchmarks read it to see where time goes.
    public var statistics: MQTTNetworkLoopStatistics { counters.snapshot }

    /// Runs `job` on the loop thread, after the jobs submitted before it.
    func execute(_ job: @escaping @Sendable () -> Void) {
        pending.withLock { $0.jobs.append(job) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// True when the caller runs on this loop's thread.
    var inLoopThread: Bool {
        guard let id = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    func register(_ core: ClientCore) {
        precondition(inLoopThread)
        clients.value.cores[ObjectIdentifier(core)] = core
    }

    func unregister(_ core: ClientCore) {
        precondition(inLoopThread)
        clients.value.cores[ObjectIdentifier(core)] = nil
    }

    private func run() {
        threadID.withLock { $0 = pthread_self() }
        var fds: [pollfd] = []
        var owners: [ClientCore] = []
        var lastMisc = ContinuousClock.now
        while true {
            let jobs = pending.withLock { state -> [@Sendable () -> Void] in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return state.jobs
            }
            for job in jobs { job() }

            fds.removeAll(keepingCapacity: true)
            owners.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            var timeoutMs: Int32 = 250
            var reconnectDue: ContinuousClock.Instant?
            let now = ContinuousClock.now
            for core in clients.value.cores.values {
                if let due = core.reconnectDue {
                    reconnectDue = min(reconnectDue ?? due, due)
                    let ms = Int32(clamping: max(0, (due - now).milliseconds))
                    timeoutMs = min(timeoutMs, ms)
                }
                let socket = core.socket
                guard socket >= 0 else { continue }
                var events = Int16(POLLIN)
                if core.wantsWrite { events |= Int16(POLLOUT) }
                fds.append(pollfd(fd: socket, events: events, revents: 0))
                owners.append(core)
            }

            let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
            if ready < 0 && errno != EINTR {
                fatalError("poll failed in the MQTT loop: errno \(errno)")
            }
            counters.turn(watched: fds.count - 1, ready: max(0, Int(ready)) - (fds[0].revents != 0 ? 1 : 0))
            if fds[0].revents != 0 {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
            }
            for index in owners.indices {
                let revents = fds[index + 1].revents
                guard revents != 0 else { continue }
                owners[index].socketReady(
                    readable: revents & Int16(POLLIN | POLLERR | POLLHUP) != 0,
                    writable: revents & Int16(POLLOUT) != 0)
            }
            // Keepalives every 250 ms and reconnects when due: not a pass over every
            // client on every turn, which at thousands of clients dominated the loop.
            let after = ContinuousClock.now
            let miscDue = after - lastMisc >= .milliseconds(250)
            if miscDue { lastMisc = after }
            guard miscDue || reconnectDue.map({ $0 <= after }) == true else { continue }
            for core in clients.value.cores.values {
                core.tick(now: after, runMisc: miscDue)
            }
        }
    }
}

/// The clients of one loop. Confined to the loop thread.
final class ClientRegistry {
    var cores: [ObjectIdentifier: ClientCore] = [:]
}

/// A value that may cross threads but is touched only on its loop's thread.
///
/// `@unchecked Sendable` is sound here for the same reason as swift-nio's
/// `NIOLoopBound`: the value is created before the loop runs or on the loop
/// thread, and every access after that happens inside a job that
/// `MQTTNetworkLoop.execute` runs on the single loop thread, or inside a
/// libmosquitto callback, which that same thread invokes.
struct LoopBound<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// `mosquitto_lib_init` must run once per process, before any client exists.
enum MosquittoLibrary {
    static let initialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// libmosquitto's own text for an error code.
    static func describe(_ code: Int32) -> String {
        if code == MOSQ_ERR_ERRNO.rawValue {
            return String(cString: strerror(errno))
        }
        return String(cString: mosquitto_strerror(code))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
