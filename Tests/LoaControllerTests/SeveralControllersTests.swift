import Foundation
@testable import LoaController
import LoaDomain
import LoaHarness
import LoaPostgresStore
import LoaProtocol
import LoaStore
import LoaTransparency
import Logging
import Synchronization
import Testing

/// Two controllers of one commune on a fresh PostgreSQL database, signing with one key.
enum TwoControllers {
    static func onOneDatabase() async throws -> (RoutedController, RoutedController) {
        let folder = try TemporaryDirectory(prefix: "loa-province")
        let store = try await SharedPostgres.controllerStore(passwordFile: folder.path("pg-password"))
        let first = try await RoutedController(store: store)
        // Each store read the password file and the secrets key as it opened: the folder is not needed after.
        let second = try await RoutedController(store: store)
        folder.remove()
        return (first, second)
    }
}

/// A province runs several controllers for one commune on one PostgreSQL database:
/// any of them serves the API and publishes, and what they do adds up to one
/// commune's history.
@Suite("Several controllers on one PostgreSQL (no network)")
struct SeveralControllersTests {
    @Test("what one controller stores the other serves; a hamlet's document versions grow across both; the log is one gap-free sequence")
    func twoControllersOneCommune() async throws {
        let (first, second) = try await TwoControllers.onOneDatabase()
        defer { first.directory.remove(); second.directory.remove() }

        let media = try await first.controller.media.addAudio(try sampleAudio("chime.wav"))
        let leader = try await first.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver])
        let startAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded())
        let sent = try await first.client.post(
            "/api/v1/announcements", bearer: leader,
            json: AnnouncementRequest(title: "Họp dân thôn Đông", category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: startAt))
        #expect(sent.status == 201)
        let announced = try #require(try await second.controller.store.announcements(startingIn: startAt...startAt).first { $0.hamlets.contains("thon-a") })
        let fromFirst = try #require(try first.document(of: "thon-a"))

        // The leader's token works on the second controller too: users are the commune's.
        let delivery = try await second.client.get("/api/v1/deliveries/\(announced.id)", bearer: leader)
        #expect(delivery.status == 200, "\(delivery.text)")
        #expect(delivery.text.contains("Họp dân thôn Đông"))

        try await second.controller.dispatcher.publishAllSchedules()
        let fromSecond = try #require(try second.document(of: "thon-a"))
        #expect(fromSecond.version == fromFirst.version + 1, "a hamlet's versions only grow, whichever controller publishes")
        #expect(fromSecond.items.map(\.id) == fromFirst.items.map(\.id))

        try await second.controller.store.record(
            DeviceEvent(
                id: "missed-by-controller:x", device: DeviceEvent.controllerDevice, site: Commune.testSite.id, zone: "thon-a",
                item: "x@thon-a", kind: .missed, at: Date(), reason: "test"),
            receivedAt: Date())
        let entries = try await first.controller.store.logEntries()
        #expect(entries.map(\.index) == [0, 1], "the announcement (first) and the record (second), one sequence")
        let postgres = try #require(first.controller.store as? PostgresStore)
        let report = try await postgres.verifyLog(keys: [first.controller.store.verifierKey])
        #expect(report.isIntact, "\(report.problems)")
        #expect(first.controller.store.verifierKey == second.controller.store.verifierKey)
    }
}

/// The commune's periodic jobs run on exactly one controller, and move on when it stops.
@Suite("Periodic jobs under leases (PostgreSQL)")
struct LeasedJobTests {
    /// Runs counted across tasks.
    final class Runs: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// A job that counts its runs, as `name` on `controller`: lease of 1 s, renewed every 0.1 s, run every 0.2 s.
    static func countingJob(_ controller: Controller, holder: String, runs: Runs) -> LeasedJob {
        LeasedJob(
            name: "schedule-refresh", holder: holder, leases: controller.store, interval: .milliseconds(200),
            renewal: .milliseconds(100), leaseDuration: 1, clock: { Date() }, logger: Logger(label: "test")
        ) { runs.add() }
    }

    @Test("a job that does not run on taking the lease on runs first an interval later, then every interval")
    func notOnTakeOver() async throws {
        let (first, second) = try await TwoControllers.onOneDatabase()
        defer { first.directory.remove(); second.directory.remove() }
        let runs = Mutex<[ContinuousClock.Instant]>([])
        let start = ContinuousClock.now
        let job = LeasedJob(
            name: "schedule-refresh", holder: "controller-1", leases: first.controller.store, interval: .milliseconds(600),
            renewal: .milliseconds(100), leaseDuration: 1, clock: { Date() }, logger: Logger(label: "test"), runsOnTakeOver: false
        ) { runs.withLock { $0.append(.now) } }
        let running = Task { try await job.run() }
        defer { running.cancel() }
        #expect(try await eventually(within: .seconds(10)) { runs.withLock { $0.count } >= 2 })
        let firstRun = try #require(runs.withLock { $0.first })
        #expect(firstRun - start >= .milliseconds(600), "not at once: \(firstRun - start)")
    }

    @Test("of two controllers one runs the job; when it stops the other takes it on, and a dead holder's lease runs out first")
    func oneAtATimeThenTakeover() async throws {
        let (first, second) = try await TwoControllers.onOneDatabase()
        defer { first.directory.remove(); second.directory.remove() }
        let (runsFirst, runsSecond) = (Runs(), Runs())

        let firstJob = Task { try await Self.countingJob(first.controller, holder: "controller-1", runs: runsFirst).run() }
        #expect(try await eventually(within: .seconds(10)) { runsFirst.value >= 1 })
        let secondJob = Task { try await Self.countingJob(second.controller, holder: "controller-2", runs: runsSecond).run() }
        defer { secondJob.cancel() }
        try await Task.sleep(for: .seconds(1.5))
        #expect(runsFirst.value >= 2, "it runs every 0.2 s")
        #expect(runsSecond.value == 0, "the lease is held: the second controller only waits")

        firstJob.cancel()
        _ = await firstJob.result
        #expect(try await eventually(within: .seconds(5)) { runsSecond.value >= 1 }, "released: taken over at the next renewal")
        let handedOver = runsFirst.value
        try await Task.sleep(for: .milliseconds(500))
        #expect(runsFirst.value == handedOver, "the stopped controller runs it no more")
        secondJob.cancel()
        _ = await secondJob.result

        // A holder killed without a word keeps its lease until it runs out.
        let now = Date()
        #expect(try await first.controller.store.acquireLease(job: "schedule-refresh", holder: "killed", for: 1.5, at: now))
        let takenAt = Mutex<Date?>(nil)
        // Each time the survivor asks for the lease (the job reads its clock once per try).
        let tries = Mutex<[Date]>([])
        let survivor = Task {
            try await LeasedJob(
                name: "schedule-refresh", holder: "survivor", leases: second.controller.store, interval: .seconds(60),
                renewal: .milliseconds(100), leaseDuration: 1,
                clock: {
                    let instant = Date()
                    tries.withLock { $0.append(instant) }
                    return instant
                }, logger: Logger(label: "test")
            ) { takenAt.withLock { $0 = $0 ?? Date() } }.run()
        }
        defer { survivor.cancel() }
        #expect(try await eventually(within: .seconds(10)) { takenAt.withLock { $0 } != nil })
        let taken = try #require(takenAt.withLock { $0 })
        let expiry = now.addingTimeInterval(1.5)
        #expect(taken >= expiry, "not before the dead holder's lease ran out")
        // Soon after it did: the first try after the lease ran out takes it, however late a
        // loaded machine lets that try run (a wall-clock bound failed at 4.5 s under load).
        let (before, after) = tries.withLock { all in (all.filter { $0 < expiry }.count, all.filter { $0 >= expiry && $0 <= taken }.count) }
        #expect(before >= 1, "it asked while the lease was held, and was refused")
        #expect(after == 1, "taken at the first try after the lease ran out, not \(after) tries later")
    }
}

/// The turns of a periodic job fall on the clock's grid, so every commune of a process asks for its leases together.
@Suite("Turns of a periodic job")
struct LeasedJobTurnTests {
    @Test("the next turn is the next multiple of the period; one a timer's early firing would bring within a twentieth is skipped")
    func grid() {
        let start = Date(timeIntervalSince1970: 1_795_485_600)  // a multiple of 10 s
        #expect(LeasedJob.untilNextTurn(of: .seconds(10), now: start) == .seconds(10))
        #expect(LeasedJob.untilNextTurn(of: .seconds(10), now: start + 3.25) == .milliseconds(6750))
        #expect(LeasedJob.untilNextTurn(of: .seconds(5), now: start + 7) == .seconds(3))
        #expect(LeasedJob.untilNextTurn(of: .seconds(10), now: start + 9.9) == .milliseconds(10_100))
        #expect(LeasedJob.untilNextTurn(of: .milliseconds(100), now: start + 0.04) == .milliseconds(60))
    }

    @Test("a job runs on the turn its interval falls on, measured between the turns' due times however late its last run began; not a turn earlier")
    func due() {
        let grid = Date(timeIntervalSince1970: 1_795_485_600)  // a multiple of 10 s
        // Every turn (interval = turn): the turn 10 s after the last run's turn is due.
        #expect(LeasedJob.isDue(turnAt: grid + 10, lastRun: grid, interval: .seconds(10)))
        #expect(abs(LeasedJob.nextTurn(of: .seconds(10), now: grid + 0.3).timeIntervalSince(grid + 10)) < 0.000_1, "a slow statement does not move the grid")
        // Every sixth turn.
        #expect(!LeasedJob.isDue(turnAt: grid + 50, lastRun: grid, interval: .seconds(60)))
        #expect(LeasedJob.isDue(turnAt: grid + 60, lastRun: grid, interval: .seconds(60)))
        // Taken on between turns without running: the first run a whole interval later.
        #expect(!LeasedJob.isDue(turnAt: grid + 60, lastRun: grid + 3.25, interval: .seconds(60)))
        #expect(LeasedJob.isDue(turnAt: grid + 70, lastRun: grid + 3.25, interval: .seconds(60)))
    }
}
