import Foundation
import Hummingbird
import LoaDomain
import LoaReports
import LoaStore

extension ControllerRouter {
    /// `GET /api/v1/reports?from&to&hamlet&category&format`: the broadcast report of
    /// `loa report`, with its Law 10/2022 disclosure section, computed from the
    /// transparency log alone; JSON (default), CSV or a printable HTML page.
    static func addReportRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("reports", needs: .readReports) { request, _, _ -> Response in
            let time = timeFormat(of: controller)
            let format = try format(request, allowed: [.json, .csv, .html])
            let builder = ReportBuilder(
                from: try instant(request, "from", in: time), to: try instant(request, "to", endOfDay: true, in: time),
                hamlet: try hamlet(request, of: controller), category: try category(request),
                schedules: try await controller.store.scheduleVersions().map(\.schedule))
            let store = controller.store
            let (checkpoint, entries) = try await controller.requestWork.admit {
                // The checkpoint first: the entries read after it include all it covers.
                let checkpoint = try await store.latestCheckpoint()
                return (checkpoint, try await store.logEntries())
            }
            let report = try await controller.requestWork.run { builder.build(entries, checkpoint: checkpoint) }
            let rendering = rendering(of: controller)
            switch format {
            case .csv: return text(rendering.csv(report), contentType: "text/csv; charset=utf-8")
            case .html:
                return text(
                    rendering.html(report, communeName: controller.configuration.site.name),
                    contentType: "text/html; charset=utf-8")
            default: return text(try rendering.json(report), contentType: "application/json; charset=utf-8")
            }
        }

        // The province's export of a period (docs/province-export.md), as pushed each day.
        api.get("exports/province", needs: .readReports) { request, _, _ -> Response in
            let time = timeFormat(of: controller)
            guard let from = try instant(request, "from", in: time), let to = try instant(request, "to", endOfDay: true, in: time), from < to
            else {
                throw HTTPError(
                    .badRequest,
                    message: "Cần from và to, from trước to (give from and to, from before to), e.g. ?from=2026-12-01&to=2026-12-31")
            }
            let label = "\(request.uri.queryParameters["from"] ?? "")..\(request.uri.queryParameters["to"] ?? "")"
            let export = try await controller.requestWork.admit {
                try await controller.provinceExport.export(label: label, from: from, to: to)
            }
            return json(encoded: try ProvinceExporter.encode(export))
        }
    }
}
