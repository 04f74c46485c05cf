import CMosquitto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaThreads
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread that drives the sockets of many MQTT clients with `epoll(7)`.
///
/// Why not `mosquitto_loop_start` (a thread per client)? A receiver needs one
/// client, but the fleet simulator and a province controller hold thousands of
/// them in one process: a thread each costs a stack and a context switch per
/// packet. Here every libmosquitto call for a client happens on this loop's
/// thread, so the library is used single-threaded (no `mosquitto_threaded_set`),
/// its callbacks run on this thread, and Swift code reaches a client only by
/// submitting a job (`execute`) that the loop runs in order.
///
/// Why `epoll` and not `poll`: a turn costs what is ready, not what is connected.
/// Each client's socket stays registered; the client tells the loop (`watch`)
/// whenever its socket may have changed or it has bytes waiting to go out, and the
/// loop changes the registration only then. Keepalives (`mosquitto_loop_misc`)
/// and due reconnects are one pass over the clients every 250 ms.
///
/// Registrations are `EPOLLONESHOT`, re-armed after each event. libmosquitto's
/// sockets are not close-on-exec, so a child process started meanwhile may hold
/// one after the client closed it. epoll keeps watching a socket for as long as
/// any process holds it, and it can no longer be removed by its number, which may
/// now belong to another socket. Such a stale entry fires once and then stays
/// quiet, instead of waking the loop on every turn.
public final class MQTTNetworkLoop: Sendable {
    /// The loop shared by every client that does not ask for its own.
    public static let shared = MQTTNetworkLoop(name: "loa-mqtt")

    /// Work submitted from any thread, run in order on the loop thread.
    private struct Pending {
        var jobs: [@Sendable () -> Void] = []
    }

    private let pending = Mutex(Pending())
    private let counters = LoopCounters()
    /// The loop's thread, once it runs: what `LoopBound` checks every access against.
    let thread = LoopThread()
    private let wakeFD: Int32
    private let epollFD: Int32
    /// The clients this loop drives; touched only on the loop thread.
    private let clients: LoopBound<ClientRegistry>

    /// The `epoll_event.data` of the wake descriptor; clients' tokens start at 1.
    private static let wakeToken: UInt64 = 0
    /// Keepalives and reconnect checks run this often.
    private static let miscInterval = Duration.milliseconds(250)

    /// Starts the loop's thread.
    /// - Parameter name: the thread's name, as `top -H` shows it.
    public init(name: String) {
        _ = MosquittoLibrary.initialised
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: errno \(errno)")
        var wake = epoll_event()
        wake.events = EPOLLIN.rawValue
        wake.data.u64 = Self.wakeToken
        precondition(epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &wake) == 0, "epoll_ctl(wake) failed: errno \(errno)")
        clients = LoopBound(ClientRegistry(), on: thread)
        // Named where `top -H` and the benchmarks find the loop.
        OwnThread.start(name: name) { [self] in run() }
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
    var inLoopThread: Bool { thread.isCurrent }

    func register(_ core: ClientCore) {
        precondition(inLoopThread)
        let registry = clients.value
        registry.nextToken += 1
        core.watch.token = registry.nextToken
        registry.cores[core.watch.token] = core
    }

    func unregister(_ core: ClientCore) {
        precondition(inLoopThread)
        // The handle is destroyed and its socket closed, which takes it out of the
        // epoll set; no EPOLL_CTL_DEL, whose descriptor number may already be reused.
        clients.value.cores[core.watch.token] = nil
        core.watch = SocketWatch()
    }

    /// Brings `core`'s registration in line with its socket and its wish to write.
    /// - Parameters:
    ///   - renewed: the socket may have been closed and another opened,
    ///     possibly under the same number (connect, reconnect, connection lost).
    ///   - rearm: an event was delivered for `core`, which disarmed its one-shot registration.
    func watch(_ core: ClientCore, renewed: Bool = false, rearm: Bool = false) {
        precondition(inLoopThread)
        var watch = core.watch
        guard watch.token != 0 else { return }
        let socket = core.socket
        let wantsWrite = socket >= 0 && core.wantsWrite
        if let due = core.reconnectDue {
            clients.value.nextReconnect = min(clients.value.nextReconnect ?? due, due)
        }
        guard socket >= 0 else {
            watch.socket = -1
            core.watch = watch
            return
        }
        guard renewed || rearm || socket != watch.socket || wantsWrite != watch.writing else { return }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLONESHOT.rawValue | (wantsWrite ? EPOLLOUT.rawValue : 0)
        event.data.u64 = watch.token
        let sameSocket = socket == watch.socket && !renewed
        var rc = epoll_ctl(epollFD, sameSocket ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event)
        if rc != 0 && errno == (sameSocket ? ENOENT : EEXIST) {
            rc = epoll_ctl(epollFD, sameSocket ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &event)
        }
        precondition(rc == 0, "epoll_ctl on the socket of \(core.options.clientID) failed: errno \(errno)")
        watch.socket = socket
        watch.writing = wantsWrite
        core.watch = watch
    }

    private func run() {
        thread.enter()
        let registry = clients.value
        let capacity = 1024
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        var lastMisc = ContinuousClock.now
        while true {
            let jobs = pending.withLock { state -> [@Sendable () -> Void] in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return state.jobs
            }
            for job in jobs { job() }

            let now = ContinuousClock.now
            var wakeAt = lastMisc + Self.miscInterval
            if let due = registry.nextReconnect { wakeAt = min(wakeAt, due) }
            // Rounded up: rounding down would spin through the last millisecond.
            let timeoutMs = Int32(clamping: max(0, (wakeAt - now + .nanoseconds(999_999)).milliseconds))

            let ready = epoll_wait(epollFD, events, Int32(capacity), timeoutMs)
            if ready < 0 && errno != EINTR {
                fatalError("epoll_wait failed in the MQTT loop: errno \(errno)")
            }
            var clientsReady = 0
            for slot in 0..<max(0, Int(ready)) {
                let event = events[slot]
                let token = event.data.u64
                if token == Self.wakeToken {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                clientsReady += 1
                guard let core = registry.cores[token] else { continue }
                // An event for a socket the client no longer has (closed since, and perhaps
                // still held by a child process): libmosquitto must not be asked to read it.
                // With TLS a closed connection has no SSL object left to read with.
                guard core.watch.socket >= 0, core.socket == core.watch.socket else {
                    watch(core, rearm: true)
                    continue
                }
                core.socketReady(
                    readable: event.events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0,
                    writable: event.events & EPOLLOUT.rawValue != 0)
                watch(core, rearm: true)
            }
            counters.turn(ready: clientsReady)

            let after = ContinuousClock.now
            let miscDue = after - lastMisc >= Self.miscInterval
            if miscDue { lastMisc = after }
            guard miscDue || registry.nextReconnect.map({ $0 <= after }) == true else { continue }
            registry.nextReconnect = nil
            for core in Array(registry.cores.values) {
                // A reconnect closes the socket and opens another, which may get the same number.
                let reconnecting = core.reconnectDue.map { $0 <= after } ?? false
                core.tick(now: after, runMisc: miscDue)
                watch(core, renewed: reconnecting)
            }
        }
    }
}

/// Where a client's socket stands in its loop's epoll set. Confined to the loop thread.
struct SocketWatch {
    /// The client's key in the loop (0: not registered).
    var token: UInt64 = 0
    /// The socket registered, -1 when none.
    var socket: Int32 = -1
    /// Whether EPOLLOUT is asked for.
    var writing = false
}

/// The clients of one loop. Confined to the loop thread.
final class ClientRegistry {
    var cores: [UInt64: ClientCore] = [:]
    var nextToken: UInt64 = 0
    /// The earliest reconnect any client has scheduled, if any.
    var nextReconnect: ContinuousClock.Instant?
}

/// A value that may cross threads but is touched only on its loop's thread.
///
/// `@unchecked Sendable` is sound here for the same reason as swift-nio's
/// `NIOLoopBound`, and checked the same way: the value is handed over before the
/// loop thread touches it (made in `MQTTNetworkLoop.init` before the thread starts,
/// or in `MQTTClient.init` before its first job is submitted), and every access
/// after that — `value` — must happen on the loop's thread (a job that
/// `MQTTNetworkLoop.execute` runs, or a libmosquitto callback, which that thread
/// invokes). `value` traps anywhere else, so a wrong access fails at once instead
/// of racing.
struct LoopBound<Value>: @unchecked Sendable {
    private let unchecked: Value
    private let thread: LoopThread

    /// Binds `value` to the loop running on `thread`.
    init(_ value: Value, on thread: LoopThread) {
        unchecked = value
        self.thread = thread
    }

    /// The value; only on the loop's thread.
    var value: Value {
        precondition(thread.isCurrent, "a loop-bound value was touched off its MQTT loop thread")
        return unchecked
    }
}

/// The thread an `MQTTNetworkLoop` runs on, readable from any thread without a lock.
final class LoopThread: Sendable {
    /// `pthread_self()` of the loop thread; 0 until it runs.
    private let id = Atomic<UInt>(0)

    /// Called once by the loop thread as it starts.
    func enter() { id.store(UInt(pthread_self()), ordering: .releasing) }

    /// True when the caller runs on the loop thread.
    var isCurrent: Bool {
        let loop = id.load(ordering: .acquiring)
        return loop != 0 && pthread_equal(pthread_t(loop), pthread_self()) != 0
    }
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
