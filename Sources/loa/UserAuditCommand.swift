import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaReports
import LoaStore

/// `loa user audit`: the console's audit trail, newest first.
struct UserAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Nhật ký tài khoản (the audit trail: users added and disabled, passwords set, logins, logouts).")

    @OptionGroup var database: ControllerDatabase
    @Option(help: "How many entries, newest first")
    var limit = 50

    func run() async throws {
        let settings = try database.settings()
        let time = ReportTimeFormat(timeZone: settings.wallClock.timeZone)
        let rows = try await database.open(settings).auditTrail(limit: limit).map { entry in
            [time.dateTime(entry.at), entry.action.text, entry.actor ?? "", entry.subject ?? "",
             entry.clientAddress ?? "", entry.detail ?? ""]
        }
        print(TextTable.render(
            header: ["Lúc (at)", "Việc (action)", "Người làm (by)", "Tài khoản (user)", "Địa chỉ (address)", "Chi tiết (detail)"],
            rows: rows))
    }
}
