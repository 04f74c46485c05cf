/// What one schedule file held: any of `site:`, `hamlets:`, `groups:`, `programmes:` and `notices:`.
struct FileSections {
    var file: String
    var site: SiteDraft?
    var hamlets: [HamletDraft] = []
    var groups: [GroupDraft] = []
    var programmes: [ProgrammeDraft] = []
    var notices: [NoticeDraft] = []
    /// Hamlets and groups named by programmes' and notices' `targets:`, where they are named.
    var targetedHamlets: [Located<String>] = []
    var targetedGroups: [Located<String>] = []

    /// Reads a file's root mapping.
    static func read(_ root: YAMLValue, content: ProgrammeContentReader, attachments: NoticeAttachmentReader) -> FileSections {
        var sections = FileSections(file: root.position.file)
        guard let fields = MappingReader(root) else { return sections }
        if let site = fields.optional("site"), let key = fields.keyPosition("site") {
            sections.site = SiteSection.read(site, keyPosition: key)
        }
        if let hamlets = fields.optional("hamlets") { sections.hamlets = HamletSection.readHamlets(hamlets) }
        if let groups = fields.optional("groups") { sections.groups = HamletSection.readGroups(groups) }
        let reader = ProgrammeSection(content: content)
        for item in fields.optional("programmes")?.list() ?? [] {
            guard let read = reader.read(item) else { continue }
            sections.programmes.append(read.draft)
            sections.targetedHamlets += read.hamlets
            sections.targetedGroups += read.groups
        }
        let notices = NoticeSection(attachments: attachments)
        for item in fields.optional("notices")?.list() ?? [] {
            guard let read = notices.read(item) else { continue }
            sections.notices.append(read.draft)
            sections.targetedHamlets += read.hamlets
            sections.targetedGroups += read.groups
        }
        return sections
    }
}
