import ArgumentParser
import Foundation
import LoaDomain
import LoaScheduleFiles

/// `loa schedule validate FILE…`: reads the schedule files together and prints every
/// problem with file, line and column, then a summary; exits 1 when there is an error.
struct ScheduleValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Kiểm tra các tệp lịch phát, chỉ ra từng lỗi theo dòng và cột (check schedule files; every problem by line and column).")

    @Argument(help: "Schedule files (YAML) read together, or folders holding them, e.g. Schedules/*.yaml")
    var files: [String]
    @Option(help: "text (for people) or json (for programs)")
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else {
            throw ValidationError("--format '\(format)' is not one of: text, json")
        }
    }

    func run() async throws {
        let result = ScheduleFiles.load(files)
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let report = ValidationReport(
                valid: !result.hasErrors, errors: result.errorCount, warnings: result.warningCount,
                summary: result.summary, diagnostics: result.diagnostics,
                hamlets: result.schedule?.hamlets.count, programmes: result.schedule?.programmes.count)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(result.rendered)
        }
        if result.hasErrors { throw ExitCode(1) }
    }
}

/// What `--format json` prints.
private struct ValidationReport: Encodable {
    var valid: Bool
    var errors: Int
    var warnings: Int
    var summary: LocalizedText
    var diagnostics: [ScheduleDiagnostic]
    var hamlets: Int?
    var programmes: Int?
}
