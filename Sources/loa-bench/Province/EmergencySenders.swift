import Foundation
import GRDB
import LoaController
import LoaDomain
import LoaPostgresStore
import LoaProtocol
import LoaStore
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How `province` sends its emergency and reads how far it reached, by engine.
protocol EmergencySender: Sendable {
    /// The prefix of the emergency's item ids in every commune (`{programme}@`).
    var itemPrefix: String { get }
    /// Sends it to every commune; returns when the last approval is done.
    func send(startingAt start: UInt64) async throws
    /// Receivers whose `ready` and `started` are stored durably, and each commune's
    /// take-up (or approval) so far, in ms since `start`.
    func reach(since start: UInt64) async throws -> (ready: Int, started: Int, takenUpMs: [Double])
}

/// PostgreSQL: the province's desk. An officer proposes it to every commune and two
/// approvers approve it; each commune takes it up on the notice. Time runs from the
/// commit of the second approval.
final class ProvinceDeskSender: EmergencySender {
    let province: PostgresProvince
    let people: ProvincePeople
    let communes: [String]
    let id = "bao-so-9"
    var itemPrefix: String { ProvinceEmergency.programmeID(of: id) + "@" }
    private let approvedAt = Mutex<Date?>(nil)

    init(province: PostgresProvince, people: ProvincePeople, communes: [String]) {
        (self.province, self.people, self.communes) = (province, people, communes)
    }

    /// Proposes and approves once; the second approval is left to `send`.
    func prepare() async throws {
        try await province.propose(
            ProvinceEmergency(
                id: id, title: "Cảnh báo bão số 9", text: EmergencyText.warning, communes: communes, startAt: Date(),
                proposedBy: people.officer.name, proposedAt: Date()),
            by: people.officer)
        _ = try await province.approveEmergency(id: id, by: people.deputy, at: Date())
    }

    func send(startingAt start: UInt64) async throws {
        _ = try await province.approveEmergency(id: id, by: people.chief, at: Date())
        approvedAt.withLock { $0 = Date() }
    }

    func reach(since start: UInt64) async throws -> (ready: Int, started: Int, takenUpMs: [Double]) {
        let takeUps = try await province.takeUps(of: id)
        let approved = approvedAt.withLock { $0 } ?? Date()
        return (takeUps.values.map(\.receiversReady).reduce(0, +), takeUps.values.map(\.receiversStarted).reduce(0, +),
                takeUps.values.map { $0.takenAt.timeIntervalSince(approved) * 1000 })
    }
}

/// SQLite: no province. Each commune's own officer applies the emergency through its
/// controller's API and its two approvers approve it, all communes at once. Time runs
/// from the first request; a commune's "take-up" is its second approval's answer.
final class CommuneDesksSender: EmergencySender {
    struct Desk: Sendable {
        var site: SiteSettings
        var hamlets: [ScheduleHamlet]
        var api: String
        var officer: String
        var approvers: [String]
        var database: DatabaseQueue
    }

    let desks: [Desk]
    let id = "bao-so-9"
    var itemPrefix: String { id + "@" }
    private let approvedMs = Mutex<[Double]>([])

    init(desks: [Desk]) { self.desks = desks }

    func send(startingAt start: UInt64) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for desk in desks {
                group.addTask { try await self.send(desk, start: start) }
            }
            try await group.waitForAll()
        }
    }

    private func send(_ desk: Desk, start: UInt64) async throws {
        let local = WallClock(siteTimeZone: desk.site.timeZone).local(Date())
        let schedule = BroadcastSchedule(
            site: desk.site, hamlets: desk.hamlets, groups: [],
            programmes: [Programme(
                id: id, title: "Cảnh báo bão số 9", category: .emergency, priority: .emergency,
                content: .text(EmergencyText.warning), durationSeconds: ProgrammeDraft.estimatedSeconds(reading: EmergencyText.warning),
                recurrence: Recurrence(days: .once(local.date), times: .at([local.time])))])
        let change = try await post(
            "\(desk.api)/api/v1/schedules", ScheduleAPI.ApplyRequest(schedule: schedule), token: desk.officer, as: ScheduleChange.self)
        for approver in desk.approvers {
            _ = try await post(
                "\(desk.api)/api/v1/schedules/\(change.version)/approvals", ScheduleAPI.ApprovalRequest(programmes: [id]),
                token: approver, as: ScheduleAPI.ApprovalStatus.self)
        }
        let done = MonotonicTime.milliseconds(from: start, to: MonotonicTime.now())
        approvedMs.withLock { $0.append(done) }
    }

    private func post<Body: Encodable, Answer: Decodable>(_ url: String, _ body: Body, token: String, as: Answer.Type) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = try WireCoding.encode(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 300
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw ProvinceRig.ValidationFailure("POST \(url): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return try WireCoding.decode(Answer.self, from: data)
    }

    func reach(since start: UInt64) async throws -> (ready: Int, started: Int, takenUpMs: [Double]) {
        var ready = 0, started = 0
        for desk in desks {
            let counts = try desk.database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT kind, count(DISTINCT device) AS receivers FROM event WHERE item LIKE ? AND kind IN ('ready', 'started') GROUP BY kind",
                    arguments: [itemPrefix + "%"])
            }
            for row in counts {
                let kind: String = row["kind"], receivers: Int = row["receivers"]
                if kind == "ready" { ready += receivers } else { started += receivers }
            }
        }
        return (ready, started, approvedMs.withLock { $0 })
    }
}

/// The warning read aloud in every commune.
enum EmergencyText {
    static let warning = "Bão số 9 sắp đổ bộ. Bà con chằng chống nhà cửa, tàu thuyền vào nơi tránh trú, không ra khơi."
}
