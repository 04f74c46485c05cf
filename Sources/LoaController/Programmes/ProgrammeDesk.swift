public import Foundation
public import LoaDomain
import LoaProtocol
public import LoaStore
import Logging

/// What the programme desk reads and writes: schedule versions and approvals, the
/// media a schedule names, and the audit trail (where a rejection's reason is kept).
public typealias ProgrammeStore = ScheduleStore & MediaCatalog & ConsoleAccountStore

/// The culture officer's and the approvers' desk: schedules applied (from files or
/// a programme made in the console), approvals, withdrawals. Nothing airs before it
/// is approved; after every change the hamlets' documents are republished.
public struct ProgrammeDesk: Sendable {
    let site: Site
    let store: any ProgrammeStore
    /// Uploaded media and the speech of text programmes.
    let media: MediaLibrary
    let dispatcher: ScheduleDispatcher
    let clock: @Sendable () -> Date
    let logger: Logger

    /// The site's wall clock.
    var wallClock: WallClock { WallClock(siteTimeZone: site.timeZone) }

    /// Checks a schedule an officer applies and stores it as the next version,
    /// logged in the transparency log; nothing of it airs before it is approved.
    /// - Parameters:
    ///   - sourceFiles: the schedule files' names and texts, kept with the version.
    ///   - user: the name of the officer applying it.
    /// - Returns: what changed against the previous version.
    ///
    /// Text programmes are read aloud here (`MediaLibrary.speech(for:)`), so what is approved can be
    /// heard before it airs and a missing or failing engine stops the apply.
    /// - Throws: `ControllerError.invalidRequest` naming every problem: another site,
    ///   hamlets this controller does not know, audio that was not uploaded, bad ids,
    ///   text that text-to-speech could not read.
    @discardableResult
    public func applySchedule(_ schedule: BroadcastSchedule, sourceFiles: [String: String], by user: String) async throws -> ScheduleChange {
        try await applySchedule(schedule, sourceFiles: sourceFiles, by: user, publishing: true)
    }

    /// `applySchedule`, publishing the hamlets' documents afterwards only when `publishing`
    /// (a caller that approves at once publishes after the approvals, once).
    func applySchedule(_ schedule: BroadcastSchedule, sourceFiles: [String: String], by user: String, publishing: Bool) async throws
        -> ScheduleChange
    {
        let problems = try await problems(applying: schedule)
        guard problems.isEmpty else { throw ControllerError.invalidRequest(problems) }
        let unread = await media.speechOfTextProgrammes(schedule).failed
        guard unread.isEmpty else {
            throw ControllerError.invalidRequest(unread.map { programme, error in
                "Chương trình \(programme): không đọc được văn bản bằng giọng máy (text-to-speech failed): \(error)"
            })
        }
        let change = try await store.applySchedule(schedule, sourceFiles: sourceFiles, by: user, at: clock())
        logger.info("schedule applied", metadata: [
            "version": "\(change.version)", "by": "\(user)", "awaitingApproval": "\(change.awaitingApproval)",
        ])
        if publishing { await scheduleDidChange() }
        return change
    }

    /// Records `user`'s approval of programmes and notices of the active schedule
    /// version; an approved notice goes onto its hamlets' boards for its days.
    /// - Parameters:
    ///   - version: the version the approver reviewed; it must be the active one.
    ///   - programmeIDs: the programmes and notices to approve (ids are unique across
    ///     both); nil approves every programme and notice of the version.
    /// - Returns: the approval status of every programme and notice of the version.
    /// - Throws: `ScheduleVersionError` when the version is not the active one or
    ///   an id is neither a programme nor a notice of it.
    @discardableResult
    public func approve(version: Int, programmeIDs: [String]?, by user: String) async throws -> [ProgrammeApproval] {
        let status = try await store.approve(version: version, programmeIDs: programmeIDs, by: user, at: clock())
        logger.info("programmes approved", metadata: [
            "version": "\(version)", "by": "\(user)", "programmes": "\(programmeIDs ?? ["(all)"])",
        ])
        await scheduleDidChange()
        return status
    }

    /// Records the approvals of `users`, one after another, of `programmeIDs` in `version`
    /// (in one transaction where the store can), then publishes the hamlets' documents
    /// once (a province emergency's two approvers).
    func approve(version: Int, programmeIDs: [String], by users: [String]) async throws {
        guard !users.isEmpty else { return await scheduleDidChange() }
        _ = try await store.approve(version: version, programmeIDs: programmeIDs, byEach: users, at: clock())
        for user in users {
            logger.info("programmes approved", metadata: ["version": "\(version)", "by": "\(user)", "programmes": "\(programmeIDs)"])
        }
        await scheduleDidChange()
    }

    /// Called after a schedule version was applied or approved: the dispatcher
    /// republishes the hamlets' schedule documents from the active version's
    /// approved programmes here. Failures are logged, not thrown: the version and
    /// approvals are stored either way, and the schedule refresh (`ControllerJobs.scheduleRefresh`) republishes later.
    func scheduleDidChange() async {
        do {
            try await dispatcher.publishAllSchedules()
        } catch {
            logger.error("schedule documents not republished", metadata: ["error": "\(error)"])
        }
    }

    /// Takes programme `id` out of the active schedule as a new version applied by
    /// `user`: its airings leave the hamlets' documents at once and a receiver playing
    /// it stops. Withdrawing needs no approval: it only ever silences.
    /// - Throws: `ControllerError.invalidRequest` when the active schedule has no such programme.
    @discardableResult
    public func withdraw(programme id: String, by user: String) async throws -> ScheduleChange {
        guard let active = try await store.activeSchedule(), active.schedule.programmes.contains(where: { $0.id == id }) else {
            throw ControllerError.invalidRequest([
                "Lịch đang dùng không có chương trình \(id) (the active schedule has no programme \(id))",
            ])
        }
        var schedule = active.schedule
        schedule.programmes.removeAll { $0.id == id }
        var sources = try await store.scheduleSources(version: active.version) ?? [:]
        sources["console/\(id).json"] = nil
        logger.warning("programme withdrawn", metadata: ["programme": "\(id)", "by": "\(user)"])
        return try await applySchedule(schedule, sourceFiles: sources, by: user)
    }

    /// The longest reason a rejection may give, in characters.
    public static let rejectionReasonLimit = 500

    /// An approver sends programme or notice `id` of version `version` back to the
    /// officer: it leaves the active schedule (a new version applied by `user`, as
    /// ``withdraw(programme:by:)``) and the audit trail keeps who rejected what and why,
    /// which the officer's dashboard shows.
    /// - Throws: `ControllerError.invalidRequest` when the reason is empty or too long,
    ///   `version` is no longer the active one, the programme is not in it, or it is
    ///   already approved (cancel it instead).
    @discardableResult
    public func reject(version: Int, programme id: String, reason: String, by user: String) async throws -> ScheduleChange {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard !reason.isEmpty, reason.count <= Self.rejectionReasonLimit else {
            throw ControllerError.invalidRequest([
                "Lý do từ chối: cần từ 1 đến \(Self.rejectionReasonLimit) ký tự (a rejection needs a reason of 1 to \(Self.rejectionReasonLimit) characters)",
            ])
        }
        guard let active = try await store.activeSchedule(), active.version == version else {
            throw ControllerError.invalidRequest([
                "Lịch đã đổi sang phiên bản mới sau khi bạn xem; hãy tải lại trang (the schedule changed since you looked; reload the page)",
            ])
        }
        let status = try await store.approvalStatus(version: version).first { $0.programmeID == id }
        guard let status else {
            throw ControllerError.invalidRequest(["Lịch đang dùng không có chương trình \(id) (the active schedule has no programme \(id))"])
        }
        guard !status.isApproved else {
            throw ControllerError.invalidRequest([
                "\(status.title) đã được duyệt; muốn dừng thì hủy phát (already approved; cancel it instead)",
            ])
        }
        let change: ScheduleChange
        if active.schedule.programmes.contains(where: { $0.id == id }) {
            change = try await withdraw(programme: id, by: user)
        } else {
            var schedule = active.schedule
            schedule.notices.removeAll { $0.id == id }
            change = try await applySchedule(schedule, sourceFiles: try await store.scheduleSources(version: version) ?? [:], by: user)
        }
        try await store.recordAudit(ConsoleAuditEntry(
            at: clock(), action: .programmeRejected, actor: user, subject: id, detail: "\(status.title)\n\(reason)"))
        return change
    }

    /// The rejections of the last `days` days, newest first.
    public func rejections(days: Int = 7) async throws -> [Rejection] {
        let since = clock().addingTimeInterval(-Double(days) * 86_400)
        return try await store.auditTrail(limit: 200).filter { $0.action == .programmeRejected && $0.at >= since }.map { entry in
            let lines = (entry.detail ?? "").split(separator: "\n", maxSplits: 1).map(String.init)
            return Rejection(
                programme: entry.subject ?? "", title: lines.first ?? "", reason: lines.count > 1 ? lines[1] : "",
                by: entry.actor ?? "", at: entry.at)
        }
    }
}

/// A programme or notice an approver sent back, with why.
public struct Rejection: Sendable, Equatable {
    public var programme: String
    public var title: String
    public var reason: String
    /// The approver's user name.
    public var by: String
    public var at: Date
}
