@testable import LoaMQTT
import Testing

/// `LoopBound` checks what its `@unchecked Sendable` promises, as `NIOLoopBound` does.
@Suite("A loop-bound value is touched only on its loop's thread")
struct LoopBoundTests {
    @Test("on the loop's thread the value is there; anywhere else the process stops at once")
    func checksTheThread() async throws {
        let loop = MQTTNetworkLoop(name: "loa-mqtt-test")
        let bound = LoopBound(41, on: loop.thread)
        let (seen, see) = AsyncStream.makeStream(of: Int.self)
        loop.execute { see.yield(bound.value + 1) }
        var iterator = seen.makeAsyncIterator()
        #expect(await iterator.next() == 42)

        await #expect(processExitsWith: .failure) {
            let loop = MQTTNetworkLoop(name: "loa-mqtt-trap")
            _ = LoopBound(1, on: loop.thread).value
        }
    }
}
