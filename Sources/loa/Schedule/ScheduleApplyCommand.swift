import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaScheduleFiles
import LoaStore

/// `loa schedule apply`: reads and checks the schedule files, uploads their
/// audio and notice attachments, and stores the schedule on the controller as its next version. Nothing
/// of it airs before an approver approves it.
struct ScheduleApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Áp dụng lịch phát lên máy chủ (apply schedule files to the controller as a new version, to be approved).")

    @Argument(help: "Schedule files or folders (e.g. Schedules/)")
    var files: [String]
    @OptionGroup var connection: ControllerConnection

    func run() async throws {
        let result = ScheduleFiles.load(files)
        guard !result.hasErrors, var schedule = result.schedule else {
            print(result.rendered)
            print("Chưa áp dụng gì (nothing was applied): sửa các lỗi trên rồi chạy lại (fix the errors above and run again)")
            throw ExitCode(1)
        }
        if result.warningCount > 0 { print(result.rendered) }
        let client = try connection.client()
        var uploads = Uploads(client: client)
        for (index, programme) in schedule.programmes.enumerated() {
            guard case .audio(let path, _) = programme.content, let file = result.audioFiles[programme.id] else { continue }
            schedule.programmes[index].content = .audio(path: path, media: try await uploads.upload(file, to: "media"))
        }
        for (index, notice) in schedule.notices.enumerated() {
            guard notice.attachment != nil, let file = result.noticeFiles[notice.id] else { continue }
            schedule.notices[index].attachment?.media = try await uploads.upload(file, to: "notice-attachments")
        }
        let change = try await client.post(
            "schedules", json: ScheduleAPI.ApplyRequest(schedule: schedule, sources: try sourceTexts()),
            as: ScheduleChange.self)
        print(Self.summary(change, uploads: uploads.done.count))
    }

    /// The texts of the schedule files, by the names they were given (folders: their YAML files).
    private func sourceTexts() throws -> [String: String] {
        var texts: [String: String] = [:]
        for path in files {
            var isDirectory: ObjCBool = false
            let names = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
                : [path]
            for name in names { texts[name] = try String(contentsOfFile: name, encoding: .utf8) }
        }
        return texts
    }

    /// What changed, Vietnamese first, then English.
    static func summary(_ change: ScheduleChange, uploads: Int) -> String {
        let waiting = change.awaitingApproval.isEmpty ? "không (none)" : change.awaitingApproval.joined(separator: ", ")
        var lines = [
            "Đã lưu phiên bản \(change.version): thêm \(change.added.count), sửa \(change.changed.count), "
                + "bỏ \(change.removed.count) chương trình; \(change.noticesAdded.count + change.noticesChanged.count) tin niêm yết mới hoặc sửa; chờ duyệt: \(waiting)",
            "Saved version \(change.version): \(change.added.count) added, \(change.changed.count) changed, "
                + "\(change.removed.count) removed programme(s); \(change.noticesAdded.count + change.noticesChanged.count) new or changed notice(s); awaiting approval: \(waiting)",
        ]
        if uploads > 0 { lines.append("  tệp đã tải lên / files uploaded (audio, attachments): \(uploads)") }
        let parts = [
            ("thêm / added", change.added), ("sửa / changed", change.changed), ("bỏ / removed", change.removed),
            ("tin niêm yết thêm / notices added", change.noticesAdded),
            ("tin niêm yết sửa / notices changed", change.noticesChanged),
            ("tin niêm yết bỏ / notices removed", change.noticesRemoved),
        ]
        for (label, ids) in parts where !ids.isEmpty {
            lines.append("  \(label): \(ids.joined(separator: ", "))")
        }
        if change.siteSettingsChanged { lines.append("  cài đặt xã đã đổi / site settings changed") }
        if !change.hamletsAdded.isEmpty { lines.append("  thôn mới / hamlets added: \(change.hamletsAdded.joined(separator: ", "))") }
        if !change.hamletsRemoved.isEmpty {
            lines.append("  thôn bỏ / hamlets removed: \(change.hamletsRemoved.joined(separator: ", "))")
        }
        if !change.awaitingApproval.isEmpty {
            lines.append("  → lãnh đạo duyệt bằng / an approver approves with: loa schedule approve --version \(change.version)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Files sent to the controller during one apply, each file once.
private struct Uploads {
    let client: ControllerClient
    /// Absolute path → what the controller stored.
    var done: [String: MediaReference] = [:]

    /// Uploads `file` to `route` (`media` for audio, `notice-attachments` for images and PDFs) once.
    mutating func upload(_ file: String, to route: String) async throws -> MediaReference {
        if let known = done[file] { return known }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("\(file): không đọc được (cannot be read): \(error.localizedDescription)")
        }
        let reference = try WireCoding.decode(
            MediaReference.self,
            from: try await client.send("POST", route, body: data, contentType: "application/octet-stream"))
        done[file] = reference
        return reference
    }
}
