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
        let started = Date()
        async let first = DedicatedThread.run(name: "loa-block-1") { usleep(1_000_000); return 1 }
        async let second = DedicatedThread.run(name: "loa-block-2") { usleep(1_000_000); return 2 }
        // On a 2-core machine the pool has 2 threads: this task would wait for the sleeps
        // to end if the sleeping work held them.
        let meanwhile = await Task.detached { Date().timeIntervalSince(started) }.value
        #expect(meanwhile < 0.8)
        #expect(try await first + second == 3)
    }
}
