import Foundation
import LoaDomain
import LoaScheduleFiles
import LoaHarness
import Testing

/// The schedule reader under random damage: the example files with bytes changed,
/// lines dropped, doubled or swapped, YAML's special characters and absurd values
/// put in, cut short. Whatever the damage, the reader ends, and either gives a
/// schedule or says why not at a real place in a real file, in a message of bounded size.
@Suite("The schedule reader under random damage (a bounded fuzz run)")
struct ScheduleFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let files = ["xa-binh-giang.yaml", "chuong-trinh.yaml", "niem-yet.yaml"]
    /// How many damaged sets of files one run reads.
    static let cases = 150

    static let insertions: [String] = [
        ": ", "- ", "[", "]", "{", "}", "\t", "&a ", "*a", "!!binary ", "'", "\"", "#", "|", ">", "%", "@", "\u{0}",
        "\u{FEFF}", "ệ", "\r", "\n  ", "2026-02-30", "25:61", "-1", "99999999999999999999", "0x10", "~", "null",
        "<<: *a", String(repeating: "Thông báo ", count: 20_000), String(repeating: "[", count: 500),
    ]

    @Test("damaged files never crash the reader; each is a schedule or errors at real lines and columns, in bounded messages")
    func damagedFiles() throws {
        let seed = SeededGenerator.seed(environment: ProcessInfo.processInfo.environment)
        var random = SeededGenerator(seed: seed)
        let directory = try TemporaryDirectory(prefix: "loa-schedule-fuzz")
        defer { directory.remove() }
        let schedules = directory.path("Schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: directory.path("Audio"), withDestinationURL: Self.root.appendingPathComponent("Audio"))
        let originals = try Self.files.map { try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("Schedules/\($0)"))) }

        var valid = 0, invalid = 0
        var kinds: [String: Int] = [:]
        for number in 0..<Self.cases {
            var texts = originals
            let target = Int.random(in: 0..<texts.count, using: &random)
            for _ in 0..<Int.random(in: 1...3, using: &random) { Self.damage(&texts[target], using: &random) }
            let paths = Self.files.map { schedules.appendingPathComponent($0).path }
            for (path, bytes) in zip(paths, texts) { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

            let result = ScheduleFiles.load(paths)
            if result.schedule != nil && !result.hasErrors { valid += 1 } else { invalid += 1 }
            #expect(result.schedule != nil || result.errorCount > 0, "case \(number) (seed \(seed)): no schedule and no error")
            let lineCounts = Dictionary(uniqueKeysWithValues: zip(paths, texts.map { Self.lines(in: $0) }))
            for diagnostic in result.diagnostics {
                kinds[diagnostic.kind, default: 0] += 1
                let lines = lineCounts.first { diagnostic.file.hasSuffix(URL(fileURLWithPath: $0.key).lastPathComponent) }?.value
                #expect(diagnostic.line >= 1 && diagnostic.column >= 1, "case \(number) (seed \(seed)): \(diagnostic)")
                #expect(lines.map { diagnostic.line <= $0 + 1 } ?? true, "case \(number) (seed \(seed)): line \(diagnostic.line) of \(lines ?? 0): \(diagnostic)")
                #expect(diagnostic.message.vi.count <= 1500 && diagnostic.message.en.count <= 1500, "case \(number) (seed \(seed)): a message of \(diagnostic.message.vi.count) characters")
            }
        }
        let common = kinds.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("schedule fuzz (seed \(seed)): \(Self.cases) damaged sets, \(valid) still valid, \(invalid) refused; diagnostics: \(common)")
    }

    /// How many lines YAML sees in `bytes`: it breaks lines at LF, CR and CR LF (and at
    /// NEL, LS and PS), as editors do, so a damaged file with a lone CR has one line more.
    static func lines(in bytes: [UInt8]) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        var count = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": count += 1
            default: break
            }
            previous = scalar
        }
        return count
    }

    /// One random change to a file's bytes.
    static func damage(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
        case 1:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &random))
            bytes = Array(lines.joined(separator: [0x0A]))
        case 2:
            let line = Int.random(in: 0..<lines.count, using: &random)
            lines.insert(lines[line], at: line)
            bytes = Array(lines.joined(separator: [0x0A]))
        case 3:
            lines.swapAt(Int.random(in: 0..<lines.count, using: &random), Int.random(in: 0..<lines.count, using: &random))
            bytes = Array(lines.joined(separator: [0x0A]))
        case 4: bytes.insert(contentsOf: Array(insertions.randomElement(using: &random)!.utf8), at: at)
        default: bytes.removeSubrange(at...)
        }
    }
}
