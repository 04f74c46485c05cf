import Foundation
import LoaAudio
import Testing

@Suite("Blocking work on a thread of its own")
struct DedicatedThreadTests {
    /// The calling thread's name as the kernel has it (`top -H`, `/proc/PID/task/*/comm`).
    static func threadName() -> String {
        let text = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    @Test("the work runs on a new thread under its name (the kernel keeps 15 bytes), and its result comes back")
    func namedThread() async throws {
        let callerName = Self.threadName()
        let seen = try await DedicatedThread.run(name: "loa-alsa-plughw:CARD=Loa") { Self.threadName() }
        #expect(seen == "loa-alsa-plughw")
        #expect(seen != callerName)
    }

    @Test("an error thrown by the work reaches the caller")
    func errorComesBack() async {
        struct Stalled: Error, Equatable {}
        await #expect(throws: Stalled()) {
            try await DedicatedThread.run(name: "loa-test") { () throws -> Int in throw Stalled() }
        }
    }

    @Test("blocking work on two threads at once leaves the cooperative pool free")
    func poolStaysFree() async throws {
        // Both blocks wait for a task on the pool to release them. On a 2-core machine the
        // pool has 2 threads: if the blocked work held them, that task could not run, and
        // both would give up after 5 s. (No wall-clock bound: other suites' work on the
        // pool in the same run may delay the task, never stop it.)
        let released = DispatchSemaphore(value: 0)
        async let first = DedicatedThread.run(name: "loa-block-1") { released.wait(timeout: .now() + 5) == .success }
        async let second = DedicatedThread.run(name: "loa-block-2") { released.wait(timeout: .now() + 5) == .success }
        await Task.detached {
            released.signal()
            released.signal()
        }.value
        #expect(try await first)
        #expect(try await second)
    }
}
