import Foundation
import Hummingbird
import LoaDomain
import LoaProtocol
import LoaReports
import LoaScheduleFiles
import LoaStore

extension ControllerRouter {
    /// The plan routes under `/api/v1`:
    /// - `POST schedules/plan`: what `loa schedule plan` shows, from the texts of schedule
    ///   files: the plan by day, session and hamlet with overflow, conflicts, quiet-hour
    ///   refusals and the law's checks; or, for files with errors, their file:line
    ///   diagnostics (422). Nothing is stored: the console previews with it.
    /// - `GET schedules/active/plan`: the active version's plan (the console's calendar).
    static func addPlanRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.post("schedules/plan", needs: .planSchedule) { request, _, _ -> Response in
            let wanted = try await jsonBody(PlanAPI.Request.self, of: request, upTo: 8 * 1024 * 1024)
            let (store, media, now) = (controller.store, controller.media.files, controller.clock())
            let request = try await wanted.onActiveSchedule(store)
            try await SchedulePreviewFolder.checkMedia(of: request, in: store, library: controller.media)
            // Reading the files (audio measured), planning and encoding, all off the shared pool.
            let (encoded, valid) = try await controller.requestWork.run {
                let result = try SchedulePreviewFolder.load(request, media: media)
                guard let schedule = result.schedule, !result.hasErrors else {
                    return (try WireCoding.encode(PlanAPI.Answer(result)), false)
                }
                let plan = try planDocument(
                    schedule, from: wanted.from, days: wanted.days.map(String.init), hamlet: wanted.hamlet, at: now)
                return (try WireCoding.encode(PlanAPI.Answer(result, plan: plan)), true)
            }
            return json(encoded: encoded, status: valid ? .ok : .unprocessableContent)
        }

        api.get("schedules/active/plan", needs: .readSchedules) { request, _, _ -> Response in
            guard let schedule = try await controller.store.activeSchedule()?.schedule else {
                throw HTTPError(.notFound, message: ScheduleVersionError.noSchedule.description)
            }
            let query = request.uri.queryParameters
            let (from, days) = (query["from"].map(String.init), query["days"].map(String.init))
            let (hamlet, now) = (try hamlet(request, of: controller), controller.clock())
            return json(encoded: try await controller.requestWork.run {
                try WireCoding.encode(planDocument(schedule, from: from, days: days, hamlet: hamlet, at: now))
            })
        }
    }

    /// How far from today (on the site's clock) a plan may start, in days: two years.
    /// The legal checks plan every day between the schedule's legal window and the
    /// first day asked for, so a far `from` would make one request plan centuries.
    static let planReachDays = 731

    /// The plan of `schedule` for `days` (1–366, 7 when nil) from `from` (YYYY-MM-DD, today
    /// when nil, at most ``planReachDays`` from today), only `hamlet` when given, with the legal checks.
    /// - Throws: `HTTPError` 400 for a bad `from` or `days`, 422 for a hamlet not in the schedule.
    static func planDocument(
        _ schedule: BroadcastSchedule, from: String?, days: String?, hamlet: String?, at now: Date
    ) throws -> PlanDocument {
        guard let count = Int(days ?? "7"), (1...366).contains(count) else {
            throw HTTPError(.badRequest, message: "days phải từ 1 đến 366 (days must be between 1 and 366)")
        }
        let first = try from.map { text in
            guard let date = LocalDate(iso: text) else {
                throw HTTPError(
                    .badRequest,
                    message: "from '\(text)' không phải ngày; viết YYYY-MM-DD, ví dụ 2026-11-30 (from is not a date; write YYYY-MM-DD)")
            }
            return date
        }
        if let first, let today = (try? Planner(schedule: schedule))?.clock.local(now).date,
            abs(today.days(to: first)) > planReachDays {
            throw HTTPError(
                .badRequest,
                message: "from \(first) cách hôm nay (\(today)) quá \(planReachDays) ngày (from must be within \(planReachDays) days of today)")
        }
        var schedule = schedule
        if let hamlet {
            guard let restricted = PlanPreview.restricting(schedule, to: hamlet) else {
                throw HTTPError(
                    .unprocessableContent,
                    message: "Thôn '\(hamlet)' không có trong lịch (hamlet '\(hamlet)' is not in the schedule); known: \(schedule.hamlets.map(\.id).joined(separator: ", "))")
            }
            schedule = restricted
        }
        do {
            return try PlanPreview(schedule: schedule, from: first, days: count, now: now).document
        } catch {
            throw HTTPError(.unprocessableContent, message: "\(error)")
        }
    }
}
