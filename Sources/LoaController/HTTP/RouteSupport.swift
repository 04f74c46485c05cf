import Foundation
import Hummingbird
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore

extension ControllerRouter {
    /// Runs `body`, turning the controller's and the store's refusals into HTTP errors.
    static func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ControllerError {
            throw HTTPError(.unprocessableContent, message: error.description)
        } catch let error as ScheduleVersionError {
            switch error {
            case .noSchedule, .unknownVersion: throw HTTPError(.notFound, message: error.description)
            case .notActive: throw HTTPError(.conflict, message: error.description)
            case .unknownProgrammes: throw HTTPError(.unprocessableContent, message: error.description)
            }
        } catch let error as ConsoleUserError {
            switch error {
            case .unknownUser: throw HTTPError(.notFound, message: error.description)
            case .duplicateName: throw HTTPError(.conflict, message: error.description)
            default: throw HTTPError(.unprocessableContent, message: error.description)
            }
        }
    }

    /// The site's time format: dates in queries and reports are the commune's.
    static func timeFormat(of controller: Controller) -> ReportTimeFormat {
        ReportTimeFormat(timeZone: controller.configuration.wallClock.timeZone)
    }

    /// A query's `from`/`to`: a date (commune time) or an RFC 3339 instant; nil when absent.
    /// - Parameter endOfDay: a date means the instant after that day (`to` is inclusive of its day).
    /// - Throws: `HTTPError` 400 naming the parameter.
    static func instant(_ request: Request, _ name: String, endOfDay: Bool = false, in time: ReportTimeFormat) throws -> Date? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else { return nil }
        guard let date = time.parse(text, endOfDay: endOfDay) else {
            throw HTTPError(
                .badRequest,
                message: "Tham số \(name) '\(text)' không phải ngày (2026-11-24) hay thời điểm RFC 3339 (\(name) is neither a date nor an RFC 3339 instant)")
        }
        return date
    }

    /// A query parameter that must be a hamlet of the site, when given.
    static func hamlet(_ request: Request, of controller: Controller) throws -> String? {
        guard let hamlet = request.uri.queryParameters["hamlet"].map(String.init), !hamlet.isEmpty else { return nil }
        let site = controller.configuration.site
        guard site.hamlet(hamlet) != nil else {
            throw HTTPError(
                .badRequest,
                message: "Thôn '\(hamlet)' không thuộc \(site.id) (hamlet '\(hamlet)' is not of \(site.id)); known: \(site.hamlets.map(\.id).joined(separator: ", "))")
        }
        return hamlet
    }

    /// A query parameter that must be a category, when given.
    static func category(_ request: Request) throws -> String? {
        guard let category = request.uri.queryParameters["category"].map(String.init), !category.isEmpty else { return nil }
        guard Category(rawValue: category) != nil else {
            throw HTTPError(
                .badRequest,
                message: "Loại tin '\(category)' không có (category '\(category)' is not one of: \(Category.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return category
    }

    /// The hamlets' names, for reports and listings.
    static func rendering(of controller: Controller) -> ReportRendering {
        let names = Dictionary(uniqueKeysWithValues: controller.configuration.site.hamlets.map { ($0.id, $0.name) })
        return ReportRendering(hamletNames: names, time: timeFormat(of: controller))
    }
}
