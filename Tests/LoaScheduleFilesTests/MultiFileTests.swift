import Foundation
import LoaDomain
import LoaScheduleFiles
import LoaHarness
import Testing

@Suite("Several files read together")
struct MultiFileTests {
    static let site = """
        site:
          id: xa-thu
          name: Xã Thử
          slots:
            - id: sang
              name: Buổi sáng
              time: 05:00-05:30
              days: mon-sat
        """
    static let hamlets = """
        hamlets:
          - id: thon-dong
            name: Thôn Đông
            receivers: [loa-dong-1]
        groups:
          - id: ca-xa
            name: Cả xã
            hamlets: [thon-dong, thon-bai]
        """
    static let moreHamlets = """
        hamlets:
          - id: thon-bai
            name: Thôn Bãi
            receivers: [loa-bai-1]
        programmes:
          - id: tin-sang
            title: Tin buổi sáng
            category: news
            audio: ../Audio/chime.wav
            targets: {groups: [ca-xa]}
            repeat: daily
        """

    func load(_ texts: [(name: String, text: String)]) -> ScheduleLoadResult {
        ScheduleFiles.load(texts: texts, baseDirectory: Fixture.schedulesDirectory)
    }

    @Test("hamlets, groups and programmes spread over files merge into one schedule, in file order")
    func merge() throws {
        let result = load([("a.yaml", Self.site), ("b.yaml", Self.hamlets), ("c.yaml", Self.moreHamlets)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        let schedule = try #require(result.schedule)
        #expect(schedule.hamlets.map(\.id) == ["thon-dong", "thon-bai"])
        #expect(schedule.groups.map(\.id) == ["ca-xa"])
        #expect(schedule.hamletIDs(of: schedule.programmes[0].targets) == ["thon-dong", "thon-bai"])
    }

    @Test("no site in any file is an error at the first file's start")
    func siteMissing() throws {
        let result = load([("b.yaml", Self.hamlets), ("c.yaml", Self.moreHamlets)])
        let missing = try Fixture.only("site-missing", in: result)
        #expect((missing.file, missing.line, missing.column, missing.field) == ("b.yaml", 1, 1, "site"))
        #expect(missing.message.vi.contains("hãy thêm vào đúng một tệp"))
        #expect(result.schedule == nil)
    }

    @Test("a second site is an error at its own place, naming the first")
    func siteTwice() throws {
        let result = load([("a.yaml", Self.site), ("b.yaml", Self.hamlets + "\n" + Self.site)])
        let twice = try Fixture.only("site-duplicate", in: result)
        #expect((twice.file, twice.line, twice.column, twice.field) == ("b.yaml", 9, 1, "site"))
        #expect(twice.message.vi.contains("đã có ở a.yaml:1:1"))
    }

    @Test("an id used in two files names the first place")
    func duplicateAcrossFiles() throws {
        let result = load([("a.yaml", Self.site + "\n" + Self.hamlets), ("b.yaml", Self.hamlets)])
        let duplicates = result.diagnostics.filter { $0.kind == "duplicate-id" }
        #expect(duplicates.map(\.file) == ["b.yaml", "b.yaml"])
        #expect(duplicates.first?.message.vi.contains("a.yaml:10:9") == true)
        #expect(duplicates.first?.field == "hamlets[1].id")
        #expect(duplicates.last?.message.vi.contains("nhóm thôn khác ở a.yaml:14:9") == true)
    }

    @Test("diagnostics come in the order the files were given, then by line")
    func order() {
        let badSite = Self.site.replacingOccurrences(of: "05:00-05:30", with: "05:30-05:00")
        let badHamlets = Self.hamlets.replacingOccurrences(of: "name: Thôn Đông", with: "nam: Thôn Đông")
        let result = load([("z.yaml", badHamlets), ("a.yaml", badSite)])
        let places = result.diagnostics.map { "\($0.file):\($0.line)" }
        #expect(places.first == "z.yaml:2")
        #expect(places.last == "a.yaml:7")
        #expect(places == places.enumerated().sorted { lhs, rhs in
            let a = (lhs.element.hasPrefix("z") ? 0 : 1, lhs.offset), b = (rhs.element.hasPrefix("z") ? 0 : 1, rhs.offset)
            return a < b
        }.map(\.element))
    }

    @Test("audio paths are relative to the file that names them")
    func audioRelativeToItsFile() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-schedules")
        defer { directory.remove() }
        let manager = FileManager.default
        try manager.createDirectory(at: directory.path("xa"), withIntermediateDirectories: true)
        try manager.createDirectory(at: directory.path("chuong-trinh/am-thanh"), withIntermediateDirectories: true)
        try sampleAudio("chime.wav").write(to: directory.path("chuong-trinh/am-thanh/chuong.wav"))
        try Self.site.write(to: directory.path("xa/site.yaml"), atomically: true, encoding: .utf8)
        let programme = """
            hamlets:
              - id: thon-dong
                name: Thôn Đông
                receivers: [loa-dong-1]
            programmes:
              - id: chuong
                title: Chuông báo
                category: other
                audio: am-thanh/chuong.wav
                repeat: daily
            """
        try programme.write(to: directory.path("chuong-trinh/p.yaml"), atomically: true, encoding: .utf8)
        let result = ScheduleFiles.load([directory.path("xa/site.yaml").path, directory.path("chuong-trinh/p.yaml").path])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        let path = try #require(result.audioFiles["chuong"])
        #expect(path.hasSuffix("/chuong-trinh/am-thanh/chuong.wav"))
        #expect(path.hasPrefix("/"))
    }

    @Test("an empty file is a warning; with no site elsewhere, the site is missing")
    func emptyFile() throws {
        let result = load([("rong.yaml", "# chỉ có chú thích\n")])
        #expect(try Fixture.only("empty-file", in: result).severity == .warning)
        #expect(try Fixture.only("site-missing", in: result).file == "rong.yaml")
    }

    @Test("a folder without YAML files is an error, not a silent empty schedule")
    func emptyFolder() throws {
        let directory = try TemporaryDirectory(prefix: "loa-no-schedules")
        defer { directory.remove() }
        let result = ScheduleFiles.load([directory.url.path])
        #expect(try Fixture.only("no-files", in: result).message.vi.contains("không có tệp lịch .yaml nào"))
        #expect(result.hasErrors && result.schedule == nil)
    }

    @Test("a file that cannot be opened is reported with its path, and the others are still read")
    func unreadable() throws {
        let result = ScheduleFiles.load([Fixture.root.appendingPathComponent("Schedules/khong-co.yaml").path]
            + [Fixture.root.appendingPathComponent("Schedules/xa-binh-giang.yaml").path])
        let missing = try Fixture.only("file-unreadable", in: result)
        #expect(missing.message.vi.contains("khong-co.yaml"))
        #expect(!result.diagnostics.contains { $0.kind == "site-missing" })
    }

    @Test("a file that is not UTF-8 is reported at the line and column of its first bad byte")
    func notUTF8() throws {
        let directory = try TemporaryDirectory(prefix: "loa-not-utf8")
        defer { directory.remove() }
        let file = directory.path("xa.yaml")
        // Line 3, after "  name: X" and "ã" (two bytes, one character): a Latin-1 "é".
        try (Data("site:\n  id: xa\n  name: Xã ".utf8) + Data([0xE9]) + Data("\n".utf8)).write(to: file)
        let problem = try Fixture.only("file-unreadable", in: ScheduleFiles.load([file.path]))
        #expect(problem.line == 3 && problem.column == 12, "\(problem.line):\(problem.column)")
        #expect(problem.message.en.contains("byte 0xE9 at line 3, column 12"))
    }

    @Test("a 1 MB value is reported where it is, with a message cut to a readable length that keeps the advice")
    func hugeValue() throws {
        let directory = try TemporaryDirectory(prefix: "loa-huge-value")
        defer { directory.remove() }
        let text = try String(contentsOf: Fixture.root.appendingPathComponent("Schedules/chuong-trinh.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "category: propaganda", with: "category: " + String(repeating: "x", count: 1_000_000))
        try Data(text.utf8).write(to: directory.path("chuong-trinh.yaml"))
        for name in ["xa-binh-giang.yaml"] {
            try FileManager.default.copyItem(
                at: Fixture.root.appendingPathComponent("Schedules/\(name)"), to: directory.path(name))
        }
        let result = ScheduleFiles.load([directory.url.path])
        let problem = try #require(result.diagnostics.first { $0.field.hasSuffix(".category") })
        #expect(problem.line == 9 && problem.file.hasSuffix("chuong-trinh.yaml"))
        for message in [problem.message.vi, problem.message.en] {
            #expect(message.count < 1000, "\(message.count) characters")
        }
        #expect(problem.message.en.hasSuffix("use one of: propaganda, dialogue, disclosure, emergency, news, other"))
    }
}
