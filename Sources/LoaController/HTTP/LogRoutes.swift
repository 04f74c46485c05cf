import Foundation
import Hummingbird
import LoaProtocol
import LoaReports
import LoaStore

extension ControllerRouter {
    /// The playback log under `/api/v1`: receivers' events with filters (`GET events`),
    /// the log's entries as `loa log list` shows them (`GET log`), and signing a
    /// checkpoint now (`POST log/checkpoint`). Proofs are public, under `/log/`.
    static func addLogRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("events", needs: .readEvents) { request, _, _ -> Response in
            let time = timeFormat(of: controller)
            let query = EventQuery(
                item: request.uri.queryParameters["item"].map(String.init),
                device: request.uri.queryParameters["device"].map(String.init),
                hamlet: try hamlet(request, of: controller), kinds: try eventKinds(request),
                from: try instant(request, "from", in: time), to: try instant(request, "to", endOfDay: true, in: time),
                limit: try limit(request))
            let store = controller.store
            return try json(await controller.requestWork.admit { try await store.events(matching: query) })
        }

        api.get("log", needs: .readEvents) { request, _, _ -> Response in
            let time = timeFormat(of: controller)
            let kinds = try listed(request, "kind", allowed: LogQuery.knownKinds)
            let query = LogQuery(
                hamlet: try hamlet(request, of: controller), device: request.uri.queryParameters["device"].map(String.init),
                category: try category(request), announcement: request.uri.queryParameters["announcement"].map(String.init),
                from: try instant(request, "from", in: time), to: try instant(request, "to", endOfDay: true, in: time),
                kinds: Set(kinds))
            let store = controller.store
            let entries = try await controller.requestWork.admit { try await store.logEntries(matching: query) }
            let listing = LogListing(rendering: rendering(of: controller))
            switch try format(request, allowed: [.json, .csv]) {
            case .csv: return text(listing.csv(entries), contentType: "text/csv; charset=utf-8")
            default: return text(try listing.json(entries), contentType: "application/json; charset=utf-8")
            }
        }

        api.post("log/checkpoint", needs: .signCheckpoint) { _, _, _ -> Response in
            text(try await controller.checkpoints.publish(), contentType: "text/plain; charset=utf-8", status: .created)
        }
    }

    /// Most events one `GET events` returns.
    static let maximumEvents = 10_000

    private static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return maximumEvents }
        guard let limit = Int(text), (1...maximumEvents).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit phải từ 1 đến \(maximumEvents) (limit must be 1 to \(maximumEvents))")
        }
        return limit
    }

    private static func eventKinds(_ request: Request) throws -> Set<DeviceEvent.Kind> {
        Set(try listed(request, "kind", allowed: DeviceEvent.Kind.allCases.map(\.rawValue)).compactMap(DeviceEvent.Kind.init(rawValue:)))
    }

    /// A comma-separated query parameter whose every value must be one of `allowed`.
    static func listed(_ request: Request, _ name: String, allowed: [String]) throws -> [String] {
        let values = (request.uri.queryParameters[Substring(name)].map(String.init) ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for value in values where !allowed.contains(value) {
            throw HTTPError(
                .badRequest,
                message: "\(name) '\(value)' không hợp lệ (is not one of: \(allowed.joined(separator: ", ")))")
        }
        return values
    }

    /// The `format` query parameter, one of `allowed`; the first when absent.
    static func format(_ request: Request, allowed: [OutputFormat]) throws -> OutputFormat {
        guard let text = request.uri.queryParameters["format"].map(String.init), !text.isEmpty else { return allowed[0] }
        guard let format = OutputFormat(rawValue: text), allowed.contains(format) else {
            throw HTTPError(
                .badRequest,
                message: "format '\(text)' không hợp lệ (is not one of: \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        return format
    }
}
