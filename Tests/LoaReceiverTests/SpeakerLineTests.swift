import Foundation
import LoaAudio
import LoaDomain
import LoaProtocol
@testable import LoaReceiver
import Testing

/// The speaker line on its own: who is stopped, who waits, in which order.
@Suite("The speaker line: preemption by class, turns by class then arrival")
struct SpeakerLineTests {
    @Test("a higher class preempts a lower item that would still be playing at its instant")
    func higherClassPreempts() async throws {
        let line = SpeakerLine()
        let normal = try #require(await line.acquire(Self.claim("n", .normal, in: 0, lasting: 60)))
        let emergency = Task { await line.acquire(Self.claim("e", .emergency, in: 1, lasting: 2)) }
        try await Self.waitUntil { await line.waitingItems == ["e"] }
        #expect(normal.stop.isStopped)
        #expect(await line.release(normal)?.item.id == "e")
        let turn = try #require(await emergency.value)
        #expect(!turn.stop.isStopped)
        #expect(await line.holderItem == "e")
        #expect(await line.release(turn) == nil)
    }

    @Test("an equal or lower class waits without stopping the holder")
    func equalOrLowerClassWaits() async throws {
        let line = SpeakerLine()
        let holder = try #require(await line.acquire(Self.claim("p1", .priority, in: 0, lasting: 60)))
        let equal = Task { await line.acquire(Self.claim("p2", .priority, in: 1, lasting: 2)) }
        let lower = Task { await line.acquire(Self.claim("n", .normal, in: 1, lasting: 2)) }
        try await Self.waitUntil { await line.waitingItems.count == 2 }
        #expect(!holder.stop.isStopped)
        #expect(await line.release(holder) == nil)
        let next = try #require(await equal.value)
        #expect(!next.stop.isStopped)
        await line.release(next)
        #expect(await lower.value != nil)
    }

    @Test("a higher class whose instant comes after the holder ends waits and stops nothing")
    func noPreemptionWhenTheHolderEndsFirst() async throws {
        let line = SpeakerLine()
        let holder = try #require(await line.acquire(Self.claim("n", .normal, in: 0, lasting: 2)))
        let emergency = Task { await line.acquire(Self.claim("e", .emergency, in: 30, lasting: 2)) }
        try await Self.waitUntil { await line.waitingItems == ["e"] }
        #expect(!holder.stop.isStopped)
        #expect(await line.release(holder) == nil)
        #expect(await emergency.value != nil)
    }

    @Test("waiting items go highest class first, then in the order they came")
    func waitingOrder() async throws {
        let line = SpeakerLine()
        let holder = try #require(await line.acquire(Self.claim("e1", .emergency, in: 0, lasting: 60)))
        var tasks: [String: Task<SpeakerLine.Turn?, Never>] = [:]
        for (id, priority) in [("n1", PriorityClass.normal), ("p1", .priority), ("n2", .normal), ("e2", .emergency)] {
            tasks[id] = Task { await line.acquire(Self.claim(id, priority, in: 1, lasting: 1)) }
            try await Self.waitUntil { await line.waitingItems.contains(id) }
        }
        #expect(await line.waitingItems == ["e2", "p1", "n1", "n2"])
        #expect(!holder.stop.isStopped, "an emergency does not interrupt an emergency")
        var order: [String] = []
        var turn = holder
        await line.release(turn)
        while let holderID = await line.holderItem {
            order.append(holderID)
            turn = try #require(await tasks[holderID]?.value)
            await line.release(turn)
        }
        #expect(order == ["e2", "p1", "n1", "n2"])
    }

    @Test("a task cancelled while waiting leaves the line and gets no turn")
    func cancelledWaiterLeaves() async throws {
        let line = SpeakerLine()
        let holder = try #require(await line.acquire(Self.claim("n1", .normal, in: 0, lasting: 60)))
        let waiter = Task { await line.acquire(Self.claim("n2", .normal, in: 1, lasting: 1)) }
        try await Self.waitUntil { await line.waitingItems == ["n2"] }
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(await line.waitingItems.isEmpty)
        await line.release(holder)
        #expect(await line.holderItem == nil)
    }

    static func claim(_ id: String, _ priority: PriorityClass, in seconds: TimeInterval, lasting duration: TimeInterval) -> SpeakerLine.Claim {
        let item = ScheduledItem(
            id: id, announcementId: id, title: "Bản tin \(id)", category: .other, priority: priority,
            startAt: Date().addingTimeInterval(seconds),
            media: MediaReference(sha256: String(repeating: "0", count: 64), bytes: 0, contentType: "audio/wav", durationMs: 0))
        return SpeakerLine.Claim(item: item, duration: duration)
    }

    static func waitUntil(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            try #require(ContinuousClock.now < deadline, "timed out")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
