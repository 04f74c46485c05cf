import Foundation
public import LoaDomain
public import LoaStore
import Logging

extension Controller {
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
}
