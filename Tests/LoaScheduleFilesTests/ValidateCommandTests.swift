import Foundation
import LoaHarness
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `loa schedule validate` as an officer runs it (needs the `loa` executable built beside the tests).
@Suite("loa schedule validate", .enabled(if: FileManager.default.isExecutableFile(atPath: loaExecutable())))
struct ValidateCommandTests {
    /// Runs `loa` with `arguments`; its exit code and output.
    func run(_ arguments: [String]) throws -> (code: Int32, output: String) {
        let directory = try TemporaryDirectory(prefix: "loa-validate")
        defer { directory.remove() }
        let log = directory.path("output.txt").path
        let pid = try ChildProcess.spawn(loaExecutable(), arguments, log: log)
        var status: Int32?
        let deadline = ContinuousClock.now + .seconds(60)
        while status == nil, ContinuousClock.now < deadline {
            status = ChildProcess.exitStatus(pid)
            if status == nil { usleep(10_000) }
        }
        if status == nil { ChildProcess.stop(pid) }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status ?? -1) >> 8 & 0xff, output)
    }

    @Test("the examples validate: exit 0 and the Vietnamese summary")
    func clean() throws {
        let (code, output) = try run(["schedule", "validate", Fixture.schedulesDirectory])
        #expect(code == 0, "\(output)")
        #expect(output.contains("Hợp lệ: 1 xã, 6 thôn, 7 chương trình, 3 tin niêm yết\n"))
        #expect(output.contains("Valid: 1 commune, 6 hamlets, 7 programmes, 3 notices\n"))
    }

    @Test("a schedule with an error exits 1 and prints it with file, line and column")
    func broken() throws {
        let directory = try TemporaryDirectory(prefix: "loa-validate-bad")
        defer { directory.remove() }
        let file = directory.path("xa.yaml")
        try Fixture.site.replacingOccurrences(of: "05:00-05:30", with: "05:30-05:00")
            .write(to: file, atomically: true, encoding: .utf8)
        let (code, output) = try run(["schedule", "validate", file.path])
        #expect(code == 1, "\(output)")
        #expect(output.contains("\(file.path):7:13: lỗi: site.slots[1].time: buổi phát kết thúc lúc 05:00"))
        #expect(output.contains("Không hợp lệ: 1 lỗi"))
    }

    @Test("--format json gives the diagnostics to programs")
    func json() throws {
        let directory = try TemporaryDirectory(prefix: "loa-validate-json")
        defer { directory.remove() }
        let file = directory.path("xa.yaml")
        try Mistake.site("mon-sat", "mon-t7").write(to: file, atomically: true, encoding: .utf8)
        let (code, output) = try run(["schedule", "validate", "--format", "json", file.path])
        #expect(code == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        #expect(object["errors"] as? Int == 1)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["kind"] as? String == "unknown-weekday")
        #expect(diagnostics.first?["line"] as? Int == 8)
        #expect((diagnostics.first?["message"] as? [String: String])?["vi"]?.contains("Thứ Bảy") == true)
    }
}
