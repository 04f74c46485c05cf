import Foundation
import LoaDomain
import LoaStore
import Logging

/// Takes the province's approved emergencies addressed to this commune into its
/// schedule: each becomes an emergency programme for every hamlet, applied by the
/// province officer who proposed it and approved by the two province approvers
/// (`tinh:NAME` in the commune's schedule and log), so it airs, preempts and is
/// proven as any emergency of the commune, and the commune's own log says who in
/// the province sent it; one the province withdraws leaves the schedule again.
/// Runs on the controller holding the `province-emergencies` lease, under the
/// commune's take-up lock, so it is taken up once.
public struct ProvinceEmergencyIntake: Sendable {
    let site: Site
    let inbox: any ProvinceEmergencyInbox
    let programmes: ProgrammeDesk
    let store: any ScheduleStore
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Emergencies older than this are not taken up any more (their words may no
    /// longer hold): `LateApproval.emergencyWindow`.
    static var oldest: TimeInterval { LateApproval.emergencyWindow }

    /// A notice whenever the province approves or withdraws an emergency.
    func notices() -> AsyncStream<Void> { inbox.provinceEmergencyNotices() }

    /// Names this commune (name, hamlets) to the province's console.
    public func registerCommune() async throws {
        try await inbox.registerCommune(name: site.name, hamlets: site.hamlets.count, at: clock())
    }

    /// Takes up every emergency waiting for this commune.
    /// - Returns: the ids taken up now.
    @discardableResult
    public func takeUp() async throws -> [String] {
        // Most turns find nothing to do: asked in one statement, before the commune's
        // lock is taken and its schedule read.
        guard try await inbox.hasProvinceEmergencyWork(since: clock().addingTimeInterval(-Self.oldest)) else { return [] }
        return try await inbox.exclusively { try await takeUpNow() }
    }

    private func takeUpNow() async throws -> [String] {
        let now = clock()
        // Withdrawn by the province after this commune took it up: out of the schedule, receivers stop.
        let active = try await store.activeSchedule()
        for withdrawn in try await inbox.withdrawnProvinceEmergencies(since: now.addingTimeInterval(-Self.oldest))
        where active?.schedule.programmes.contains(where: { $0.id == withdrawn.programmeID }) == true {
            try await programmes.withdraw(
                programme: withdrawn.programmeID, by: ProvinceEmergency.actor(withdrawn.cancelledBy ?? withdrawn.proposedBy))
            logger.warning("province emergency withdrawn", metadata: ["emergency": "\(withdrawn.id)"])
        }
        var taken: [String] = []
        for emergency in try await inbox.provinceEmergenciesToTakeUp(since: now.addingTimeInterval(-Self.oldest)) {
            let version = try await add(emergency)
            if try await inbox.recordTakeUp(of: emergency.id, version: version, at: clock()) {
                logger.warning("province emergency taken up", metadata: [
                    "emergency": "\(emergency.id)", "version": "\(version)", "proposedBy": "\(emergency.proposedBy)",
                ])
                taken.append(emergency.id)
            }
        }
        return taken
    }

    /// Adds the emergency to the active schedule with its province approvals; the
    /// version it is in (an earlier take-up's when it is there already).
    private func add(_ emergency: ProvinceEmergency) async throws -> Int {
        guard let active = try await store.activeSchedule() else {
            throw ControllerError.invalidRequest([
                "Xã chưa có lịch phát nên chưa nhận được tin khẩn cấp của tỉnh (the commune has no schedule yet to take the province's emergency into)",
            ])
        }
        if active.schedule.programmes.contains(where: { $0.id == emergency.programmeID }) {
            try await approve(emergency, version: active.version)
            return active.version
        }
        let clock = WallClock(siteTimeZone: active.schedule.site.timeZone)
        let local = clock.local(emergency.startAt)
        let text = emergency.text.precomposedStringWithCanonicalMapping
        var schedule = active.schedule
        schedule.programmes.append(Programme(
            id: emergency.programmeID, title: emergency.title.precomposedStringWithCanonicalMapping, category: .emergency,
            priority: .emergency, content: .text(text), durationSeconds: ProgrammeDraft.estimatedSeconds(reading: text),
            recurrence: Recurrence(days: .once(local.date), times: .at([local.time]))))
        var sources = try await store.scheduleSources(version: active.version) ?? [:]
        sources["province/\(emergency.id).txt"] = "\(emergency.title)\n\(emergency.text)\n"
        // Published once, after the approvals: before them the emergency could not air anyway.
        let change = try await programmes.applySchedule(
            schedule, sourceFiles: sources, by: ProvinceEmergency.actor(emergency.proposedBy), publishing: false)
        try await approve(emergency, version: change.version)
        return change.version
    }

    /// Records the province approvers' approvals of it in `version` (the store records
    /// only those not recorded yet), then publishes the hamlets' documents.
    private func approve(_ emergency: ProvinceEmergency, version: Int) async throws {
        try await programmes.approve(
            version: version, programmeIDs: [emergency.programmeID], by: emergency.approvals.map { ProvinceEmergency.actor($0.approver) })
    }
}
