import Foundation
import LoaProtocol
import LoaStore
import Testing

/// Leases on periodic jobs: one holder at a time, renewed by its holder, taken over
/// once it runs out or is given up.
@Suite("Leases on the commune's periodic jobs")
struct LeaseTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("one holder at a time; it renews; another takes over when it runs out or is released", arguments: StoreEngine.allCases)
    func holders(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now))
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 10))
        #expect(try await store.acquireLease(job: "checkpoint", holder: "controller-2", for: 30, at: now + 10), "each job has its own lease")
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 20), "the holder renews")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 49))
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-2", for: 30, at: now + 50), "run out: taken over")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 51))
        try await store.releaseLease(job: "refresh", holder: "controller-1")
        #expect(try await !store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 52), "only its holder releases it")
        try await store.releaseLease(job: "refresh", holder: "controller-2")
        #expect(try await store.acquireLease(job: "refresh", holder: "controller-1", for: 30, at: now + 53), "released: taken at once")
    }

    @Test("on PostgreSQL, of several controllers asking at once exactly one gets it")
    func race() async throws {
        let made = try await StoreEngine.postgres.makeStore(signingKey: key)
        var stores = [made.store]
        for _ in 0..<3 { stores.append(try await made.reopen()) }
        let now = self.now
        for round in 0..<10 {
            let at = now.addingTimeInterval(Double(round) * 100)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask { try await store.acquireLease(job: "refresh", holder: "controller-\(index)", for: 30, at: at) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1, "round \(round)")
        }
    }
}

/// Deliveries of the province's export, kept per destination so that no day is sent twice.
@Suite("Deliveries of the province's export")
struct ExportDeliveryTests {
    @Test("a delivered day is kept per destination; recording it again changes nothing", arguments: StoreEngine.allCases)
    func recorded(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: SigningKey(name: "loa.xa-thu-nghiem"))
        defer { made.remove() }
        let store = made.store
        let now = Date(timeIntervalSince1970: 1_796_263_200)
        #expect(try await store.deliveredExports(destination: "https://tinh/a").isEmpty)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-03", digest: "d1", at: now)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-03", digest: "d2", at: now + 1)
        try await store.recordExportDelivered(destination: "https://tinh/a", period: "2026-12-04", digest: "d3", at: now + 2)
        #expect(try await store.deliveredExports(destination: "https://tinh/a") == ["2026-12-03", "2026-12-04"])
        #expect(try await store.deliveredExports(destination: "https://tinh/b").isEmpty)
        #expect(try await made.reopen().deliveredExports(destination: "https://tinh/a").count == 2)
    }
}
