import Foundation
import Hummingbird
import LoaDomain
public import LoaReports
public import LoaScheduleFiles
import LoaStore

/// The bodies of `POST /api/v1/schedules/plan`.
public enum PlanAPI {
    /// Schedule files' texts and what to plan.
    public struct Request: Sendable, Codable, Equatable {
        /// File name → YAML text; read together in name order, as `loa schedule plan` reads its files.
        public var files: [String: String]
        /// An audio or attachment path as the files write it (relative, e.g. `../Audio/chime.wav`)
        /// → the sha256 of media uploaded before (`POST media`, `POST notice-attachments`).
        public var media: [String: String]?
        /// First day, YYYY-MM-DD; today on the site's clock when absent.
        public var from: String?
        /// How many days, 1–366; 7 when absent.
        public var days: Int?
        /// Only this hamlet (id).
        public var hamlet: String?
        /// Add `files` to the active version's files (a file of the same name replaces
        /// its namesake), its audio and attachments known: "the commune's schedule with
        /// my new programme", conflicts included.
        public var withActive: Bool?

        public init(
            files: [String: String], media: [String: String]? = nil, from: String? = nil, days: Int? = nil, hamlet: String? = nil,
            withActive: Bool? = nil
        ) {
            self.files = files
            self.media = media
            self.from = from
            self.days = days
            self.hamlet = hamlet
            self.withActive = withActive
        }

        /// The request with the active version's files and media under its own, when `withActive`.
        /// - Throws: `HTTPError` 404 when no schedule was applied yet.
        func onActiveSchedule(_ store: any ScheduleStore) async throws -> Request {
            guard withActive == true else { return self }
            guard let active = try await store.activeSchedule(), let sources = try await store.scheduleSources(version: active.version) else {
                throw HTTPError(.notFound, message: ScheduleVersionError.noSchedule.description)
            }
            var media: [String: String] = [:]
            for programme in active.schedule.programmes {
                if case .audio(let path, let reference?) = programme.content { media[path] = reference.sha256 }
            }
            for notice in active.schedule.notices {
                if let attachment = notice.attachment, let reference = attachment.media { media[attachment.path] = reference.sha256 }
            }
            var combined = self
            combined.files = sources.merging(files) { _, given in given }
            combined.media = media.merging(self.media ?? [:]) { _, given in given }
            return combined
        }
    }

    /// The plan, or why there is none.
    public struct Answer: Sendable, Encodable {
        /// False when the files have errors; `plan` is then absent.
        public var valid: Bool
        /// Errors and warnings with file, line, column and field.
        public var diagnostics: [ScheduleDiagnostic]
        /// The diagnostics as `loa schedule validate` prints them.
        public var rendered: String
        public var plan: PlanDocument?

        init(_ result: ScheduleLoadResult, plan: PlanDocument? = nil) {
            valid = !result.hasErrors
            diagnostics = result.diagnostics
            rendered = result.rendered
            self.plan = plan
        }
    }
}

/// A private temporary folder where a previewed schedule's media paths lead to the
/// uploaded files, and nowhere else: the loader reads nothing outside it.
enum SchedulePreviewFolder {
    /// Refuses a request naming media the controller does not hold.
    /// - Throws: `HTTPError` 422 naming the path.
    static func checkMedia(of request: PlanAPI.Request, in store: any MediaCatalog, library: MediaLibrary) async throws {
        for (path, sha256) in (request.media ?? [:]).sorted(by: { $0.key < $1.key }) {
            // Recorded for this commune, and in this controller's folder (taken from the database when another stored it).
            guard try await store.media(sha256: sha256) != nil, await library.localFile(sha256: sha256) != nil else {
                throw HTTPError(
                    .unprocessableContent,
                    message: "media: chưa có tệp sha256 \(sha256) cho '\(path)'; hãy tải lên trước (no media with that sha256; upload it first)")
            }
        }
    }

    /// Reads the request's files in the folder (their media checked by `checkMedia(of:in:)`
    /// first), measuring the audio: heavy, run it off the shared pool.
    static func load(_ request: PlanAPI.Request, media: MediaStore) throws -> ScheduleLoadResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loa-plan-\(UUID().uuidString)")
            .standardizedFileURL
        let schedules = folder.appendingPathComponent("Schedules", isDirectory: true)
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, sha256) in (request.media ?? [:]).sorted(by: { $0.key < $1.key }) {
            let target = URL(fileURLWithPath: path, relativeTo: schedules).standardizedFileURL
            guard !path.hasPrefix("/"), target.path.hasPrefix(folder.path + "/") else {
                throw HTTPError(
                    .badRequest,
                    message: "media: đường dẫn '\(path)' phải là đường dẫn tương đối như trong tệp lịch, ví dụ ../Audio/chime.wav (the path must be relative, as the schedule file writes it)")
            }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.createSymbolicLink(at: target, withDestinationURL: media.url(for: sha256))
        }
        let texts = request.files.sorted { $0.key < $1.key }.map { (name: $0.key, text: $0.value) }
        return ScheduleFiles.load(texts: texts, baseDirectory: schedules.path, confinedTo: folder.path)
    }
}
