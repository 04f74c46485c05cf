import Foundation
import Logging
import LoaDomain
import LoaProtocol
import LoaStore

extension ProgrammeDesk {
    /// Everything wrong with `schedule` for this controller, Vietnamese first.
    func problems(applying schedule: BroadcastSchedule) async throws -> [String] {
                var problems: [String] = []
        if schedule.site.id != site.id {
            problems.append(
                "Lịch dành cho xã '\(schedule.site.id)' nhưng máy chủ này phục vụ '\(site.id)' (the schedule is for site "
                    + "'\(schedule.site.id)', this controller serves '\(site.id)'); set `site.id: \(site.id)` in the schedule file")
        }
        let known = Set(site.hamlets.map(\.id))
        let unknown = schedule.hamlets.map(\.id).filter { !known.contains($0) }
        if !unknown.isEmpty {
            problems.append(
                "Máy chủ không biết các thôn (this controller does not know the hamlets): \(unknown.joined(separator: ", ")); "
                    + "add them to site.hamlets in the controller's settings and restart it, or remove them from the schedule; "
                    + "known: \(site.hamlets.map(\.id).joined(separator: ", "))")
        }
        var seen = Set<String>()
        let hamlets = Set(schedule.hamlets.map(\.id)), groups = Set(schedule.groups.map(\.id))
        for programme in schedule.programmes {
            if let problem = Identifier.problem(with: programme.id) {
                problems.append("Mã chương trình không hợp lệ (invalid programme id): \(problem)")
            }
            if !seen.insert(programme.id).inserted {
                problems.append("Trùng mã chương trình (programme id used twice): \(programme.id)")
            }
            problems += targetProblems(programme.id, programme.targets, hamlets: hamlets, groups: groups)
            var texts = [TextLimits.problem(("tiêu đề", "title"), programme.title, limit: TextLimits.title)]
            if case .text(let words) = programme.content {
                texts.append(TextLimits.problem(("văn bản", "text"), words, limit: TextLimits.spokenText))
            }
            problems += texts.compactMap { $0.map { "Chương trình \(programme.id) (programme \(programme.id)): \($0.vi) (\($0.en))" } }
            if programme.content.isStream, dispatcher.relay == nil {
                problems.append(
                    "Chương trình \(programme.id): máy chủ chưa cấu hình tiếp sóng (this controller has no relay set up); "
                        + "add `relay` (Icecast and ffmpeg) to its settings, docs/relay.md")
            }
            if let sources = programme.content.relaySources {
                if sources.isEmpty || sources.count > 5 || sources.contains(where: { $0.count > 512 || !["http", "https"].contains(URL(string: $0)?.scheme ?? "") }) {
                    problems.append("Chương trình \(programme.id): 1–5 nguồn tiếp sóng http(s), mỗi địa chỉ tối đa 512 ký tự (1–5 http(s) relay sources of at most 512 characters)")
                }
            }
            if case .audio(let path, let media) = programme.content {
                guard let media else {
                    problems.append(
                        "Chương trình \(programme.id): tệp âm thanh \(path) chưa được tải lên (audio not uploaded); "
                            + "`loa schedule apply` uploads it")
                    continue
                }
                if try await self.media.reference(sha256: media.sha256) == nil {
                    problems.append(
                        "Chương trình \(programme.id): máy chủ không có âm thanh sha256 \(media.sha256) (\(path)) "
                            + "(the controller does not hold this audio); upload it first (POST /api/v1/media)")
                }
            }
        }
        for notice in schedule.notices {
            if let problem = Identifier.problem(with: notice.id) {
                problems.append("Mã tin niêm yết không hợp lệ (invalid notice id): \(problem)")
            }
            if !seen.insert(notice.id).inserted {
                problems.append("Trùng mã (id used twice; programmes and notices share ids): \(notice.id)")
            }
            problems += targetProblems(notice.id, notice.targets, hamlets: hamlets, groups: groups)
            await problems += try attachmentProblems(notice)
            problems += [
                TextLimits.problem(("tiêu đề", "title"), notice.title, limit: TextLimits.title),
                TextLimits.problem(("nội dung", "body"), notice.body, limit: TextLimits.noticeBody),
            ].compactMap { $0.map { "Tin niêm yết \(notice.id) (notice \(notice.id)): \($0.vi) (\($0.en))" } }
        }
        return problems
    }

    /// A notice's attachment must be uploaded (`POST /api/v1/notice-attachments`) before it is applied.
    private func attachmentProblems(_ notice: Notice) async throws -> [String] {
        guard let attachment = notice.attachment else { return [] }
        guard let media = attachment.media, try await self.media.reference(sha256: media.sha256) != nil else {
            return [
                "Tin \(notice.id): tệp đính kèm \(attachment.path) chưa được tải lên (attachment not uploaded); "
                    + "`loa schedule apply` uploads it (POST /api/v1/notice-attachments)",
            ]
        }
        return []
    }

    /// `id` (a programme's or a notice's) must target hamlets and groups the schedule lists.
    private func targetProblems(_ id: String, _ targets: Targets, hamlets: Set<String>, groups: Set<String>) -> [String] {
        let (unknown, noun): ([String], String) = switch targets {
        case .all: ([], "")
        case .hamlets(let ids): (ids.filter { !hamlets.contains($0) }, "thôn (hamlets)")
        case .groups(let ids): (ids.filter { !groups.contains($0) }, "nhóm (groups)")
        }
        guard !unknown.isEmpty else { return [] }
        return ["\(id): phát tới \(noun) không có trong lịch (targets what the schedule does not list): "
            + unknown.joined(separator: ", ")]
    }
}
