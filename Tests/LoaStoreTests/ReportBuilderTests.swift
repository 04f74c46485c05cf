import Foundation
import LoaReports
import LoaStore
import LoaHarness
import LoaTransparency
import Testing

/// Report figures checked against `LogScenario`, whose truth is known.
@Suite("Broadcast reports from the log")
struct ReportBuilderTests {
    /// The scenario's log entries as `loa report` reads them from a SQLite file.
    func scenarioEntries() async throws -> (entries: [LoggedEntry], directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = directory.path("loa.sqlite").path
        _ = try await LogScenario(path: path)
        return (try LogAudit.entries(databaseAt: path), directory)
    }

    @Test("planned vs played, minutes, confirmations, failures and misses per category and hamlet")
    func figures() async throws {
        let (entries, directory) = try await scenarioEntries()
        defer { directory.remove() }
        let report = ReportBuilder(from: LogScenario.dayStart, to: LogScenario.periodEnd).build(entries)
        #expect(report.logEntries == 19)
        #expect(report.rows.map { "\($0.category)/\($0.hamlet)" } == ["dialogue/thon-a", "dialogue/thon-b", "disclosure/thon-a"])

        let dialogueA = report.rows[0]
        #expect(dialogueA.planned == 1)
        #expect(dialogueA.played == 1)
        #expect(dialogueA.airedMs == 60_000)
        #expect(dialogueA.receivers == 2)
        #expect(dialogueA.confirmations == 1)
        #expect(dialogueA.expectedConfirmations == 2)
        #expect(dialogueA.confirmedShare == 0.5)
        #expect(dialogueA.failures == 1)
        #expect(dialogueA.misses == 0)
        #expect(dialogueA.reasons == [ReasonCount(kind: "failed", reason: "hash mismatch: got 00ff…", count: 1)])

        let dialogueB = report.rows[1]
        #expect(dialogueB.planned == 2)
        #expect(dialogueB.played == 1)
        #expect(dialogueB.airedMs == 59_500)
        #expect(dialogueB.receivers == 1)
        #expect(dialogueB.confirmations == 1)
        #expect(dialogueB.expectedConfirmations == 2)
        #expect(dialogueB.failures == 0)
        #expect(dialogueB.misses == 1)
        #expect(dialogueB.reasons == [ReasonCount(kind: "missed", reason: "powered off", count: 1)])

        let disclosureA = report.rows[2]
        #expect(disclosureA.planned == 1)
        #expect(disclosureA.played == 1)
        #expect(disclosureA.airedMs == 30_000)
        #expect(disclosureA.confirmations == 1)
        #expect(disclosureA.expectedConfirmations == 2)
        #expect(disclosureA.misses == 1)

        #expect(report.incidents.map { "\($0.device) \($0.kind) \($0.title)" } == [
            "loa-a2 failed Hội nghị đối thoại", "loa-a1 missed Công khai dự toán", "loa-b1 missed Họp thôn",
        ])
        #expect(report.eventsWithoutAnnouncement == 0)
        #expect(report.law10.disclosureAnnouncements == 1)
        #expect(report.law10.checks.isEmpty)
        #expect(report.law10.pending != nil, "no Law 10/2022 figure without disclosure metadata")

        let total = ReportRow.total(of: Array(report.rows.prefix(2)), category: "dialogue", hamlet: "*")
        #expect((total.planned, total.played, total.airedMs, total.confirmations, total.expectedConfirmations) == (3, 2, 119_500, 2, 4))
    }

    @Test("the period, hamlet and category limit what is counted")
    func filters() async throws {
        let (entries, directory) = try await scenarioEntries()
        defer { directory.remove() }
        let wholeLog = ReportBuilder().build(entries)
        let dialogueA = try #require(wholeLog.rows.first { $0.category == "dialogue" && $0.hamlet == "thon-a" })
        #expect((dialogueA.planned, dialogueA.played, dialogueA.airedMs, dialogueA.confirmations) == (2, 2, 120_000, 2))
        let hamletB = ReportBuilder(from: LogScenario.dayStart, hamlet: "thon-b").build(entries)
        #expect(hamletB.rows.map(\.hamlet) == ["thon-b"])
        let disclosure = ReportBuilder(category: "disclosure").build(entries)
        #expect(disclosure.rows.map(\.category) == ["disclosure"])
        #expect(disclosure.incidents.count == 1)
    }

    @Test("CSV is RFC 4180 and HTML a self-contained Vietnamese page")
    func rendering() async throws {
        let (entries, directory) = try await scenarioEntries()
        defer { directory.remove() }
        let report = ReportBuilder(from: LogScenario.dayStart, to: LogScenario.periodEnd).build(entries, checkpoint: "loa.x\n19\nAAAA\n")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("nói \"có\"") == "\"nói \"\"có\"\"\"")
        #expect(CSV.field("dòng 1\r\ndòng 2") == "\"dòng 1\r\ndòng 2\"")
        #expect(CSV.field("Thôn Đông") == "Thôn Đông")
        let rendering = ReportRendering(hamletNames: ["thon-a": "Thôn Đông", "thon-b": "Thôn Đoài"])
        let csv = rendering.csv(report)
        let records = csv.components(separatedBy: "\r\n")
        #expect(records.count == 5 && records.last == "", "a header, three records, each ended by CRLF")
        #expect(records[1].hasPrefix("dialogue,thon-a,1,1,60000,2,1,2,0.5000,1,0,0,"))

        let html = rendering.html(report, communeName: "Xã Thử Nghiệm")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<h2>Thông báo hội nghị đối thoại (dialogue)</h2>"))
        #expect(html.contains("Thôn Đông (thon-a)"))
        #expect(html.contains("Tổng (total)"))
        #expect(!html.contains("src=") && !html.contains("href="), "self-contained")
        #expect(html == html.precomposedStringWithCanonicalMapping, "NFC")
        let table = rendering.table(report)
        #expect(table.contains("Thôn (hamlet)"))
        #expect(try rendering.json(report).contains("\"confirmedShare\" : 0.5"))
    }
}
