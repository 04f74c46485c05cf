import LoaDomain

/// One load: parses each text, reads its sections, checks them together, and builds the
/// schedule when nothing is wrong.
struct ScheduleLoader {
    let log: DiagnosticLog
    /// When set, audio and attachments are read only from inside this folder.
    var root: String? = nil

    /// `allRead` is false when some file could not be read (then a missing site is not claimed).
    func load(
        _ texts: [(name: String, text: String, directory: String)], order: [String], allRead: Bool
    ) -> ScheduleLoadResult {
        let audio = AudioLibrary(root: root)
        var files: [FileSections] = []
        var allParsed = allRead
        for (name, text, directory) in texts {
            switch YAMLDocument.parse(text, file: name, log: log) {
            case .document(let root):
                let content = ProgrammeContentReader(baseDirectory: directory, audio: audio)
                files.append(FileSections.read(
                    root, content: content, attachments: NoticeAttachmentReader(baseDirectory: directory, files: audio)))
            case .empty:
                continue
            case .invalid:
                allParsed = false
            }
        }
        let site = chooseSite(files, firstFile: texts.first?.name, allParsed: allParsed && !texts.isEmpty)
        ReferenceChecks.run(site: site, files: files, log: log)
        let programmes = files.flatMap(\.programmes)
        let notices = files.flatMap(\.notices)
        if let site {
            SlotChecks.run(site: site, programmes: programmes, log: log)
            LawChecks.run(site: site, programmes: programmes, log: log)
            NoticeLawChecks.run(site: site, notices: notices, log: log)
        }
        let audioFiles = Self.files(programmes.map { ($0.id, $0.audioFile) })
        let noticeFiles = Self.files(notices.map { ($0.id, $0.attachmentFile) })
        let schedule = log.errorCount == 0 ? build(site: site, files: files) : nil
        return ScheduleLoadResult(
            schedule: schedule, diagnostics: log.sorted(fileOrder: order), audioFiles: audioFiles,
            noticeFiles: noticeFiles)
    }

    /// The one `site:` section; reports none (when every file parsed) or more than one.
    private func chooseSite(_ files: [FileSections], firstFile: String?, allParsed: Bool) -> SiteDraft? {
        let sites = files.compactMap(\.site)
        guard let first = sites.first else {
            if allParsed, let firstFile {
                log.error(
                    "site-missing", at: .start(of: firstFile), field: "site",
                    vi: "không tệp nào có phần site: (thông tin xã: mã, tên, các buổi phát); hãy thêm vào đúng một tệp, ví dụ: site: {id: xa-binh-giang, name: Xã Bình Giang, slots: [...]}",
                    en: "no file has the site: section (the commune's id, name and slots); add it to exactly one file, see docs/schedules.md")
            }
            return nil
        }
        for extra in sites.dropFirst() {
            log.error(
                "site-duplicate", at: extra.keyPosition, field: "site",
                vi: "phần site: đã có ở \(first.keyPosition.description); chỉ một tệp được có phần site:, hãy xóa một trong hai",
                en: "the site: section is already given at \(first.keyPosition.description); only one file may have it, remove one")
        }
        return first
    }

    /// Id → absolute path, for the drafts that have both (the first of a repeated id).
    private static func files(_ pairs: [(id: Located<String>?, file: String?)]) -> [String: String] {
        Dictionary(
            pairs.compactMap { pair in pair.id.flatMap { id in pair.file.map { (id.value, $0) } } },
            uniquingKeysWith: { first, _ in first })
    }

    private func build(site: SiteDraft?, files: [FileSections]) -> BroadcastSchedule? {
        guard let settings = site?.settings else { return nil }
        let hamlets = files.flatMap(\.hamlets).compactMap(\.hamlet)
        let groups = files.flatMap(\.groups).compactMap(\.group)
        let programmes = files.flatMap(\.programmes).compactMap(\.programme)
        let notices = files.flatMap(\.notices).compactMap(\.notice)
        return BroadcastSchedule(site: settings, hamlets: hamlets, groups: groups, programmes: programmes, notices: notices)
    }
}
