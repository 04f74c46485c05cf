import Foundation
import LoaScheduleFiles
import Testing

/// A small valid commune for inline YAML: `site.yaml` holds the site (two slots
/// Monday–Saturday, quiet hours 21:30–05:00), two hamlets and a group; a case adds
/// `p.yaml` with its programmes. Audio paths resolve against the repository's `Schedules/`.
enum Fixture {
    /// The repository's root folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var schedulesDirectory: String { root.appendingPathComponent("Schedules").path }

    static let site = """
        site:
          id: xa-thu
          name: Xã Thử
          slots:
            - id: sang
              name: Buổi sáng
              time: 05:00-05:30
              days: mon-sat
              max-minutes: 15
            - id: chieu
              name: Buổi chiều
              time: 17:00-17:30
              days: mon-sat
          quiet-hours: [21:30-05:00]
        hamlets:
          - id: thon-dong
            name: Thôn Đông
            receivers: [loa-dong-1]
          - id: thon-doai
            name: Thôn Đoài
            receivers: [loa-doai-1]
        groups:
          - id: ven-song
            name: Ven sông
            hamlets: [thon-dong]
        """

    /// A programme that reads clean with the fixture's site; cases change one thing.
    static let programme = """
        programmes:
          - id: tin-sang
            title: Tin buổi sáng
            category: news
            audio: ../Audio/chime.wav
            repeat: daily
            slots: [sang]
        """

    /// Loads `site` as `site.yaml` and, when given, `programmes` as `p.yaml`.
    static func load(site: String = site, programmes: String? = nil) -> ScheduleLoadResult {
        var texts = [(name: "site.yaml", text: site)]
        if let programmes { texts.append((name: "p.yaml", text: programmes)) }
        return ScheduleFiles.load(texts: texts, baseDirectory: schedulesDirectory)
    }

    /// The only diagnostic of `kind`; fails the test when there is none or several.
    static func only(_ kind: String, in result: ScheduleLoadResult, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> ScheduleDiagnostic
    {
        let found = result.diagnostics.filter { $0.kind == kind }
        #expect(found.count == 1, "\(kind): \(result.diagnostics.map(\.rendered))", sourceLocation: sourceLocation)
        return try #require(found.first, sourceLocation: sourceLocation)
    }
}
