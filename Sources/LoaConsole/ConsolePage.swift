import LoaController
import LoaStore

/// The console's pages, and who may open each (least privilege: the action pages
/// follow the API's `APIPermission`; what only shows state is open to every signed-in user).
enum ConsolePage: String, Sendable, CaseIterable {
    case dashboard, newAnnouncement, emergency, approvals, calendar, logs, delivery

    /// The page's path.
    var path: String {
        switch self {
        case .dashboard: "/console/dashboard"
        case .newAnnouncement: "/console/announcements/new"
        case .emergency: "/console/emergency"
        case .approvals: "/console/approvals"
        case .calendar: "/console/calendar"
        case .logs: "/console/logs"
        case .delivery: "/console/delivery"
        }
    }

    /// The API permission the page acts with; nil for pages any signed-in user may open.
    var permission: APIPermission? {
        switch self {
        case .newAnnouncement, .emergency: .applySchedule
        case .approvals: .approve
        case .dashboard, .calendar, .logs, .delivery: nil
        }
    }

    /// The navigation label.
    var phrase: Phrase {
        switch self {
        case .dashboard: .dashboard
        case .newAnnouncement: .newAnnouncement
        case .emergency: .emergency
        case .approvals: .approvals
        case .calendar: .calendar
        case .logs: .logs
        case .delivery: .delivery
        }
    }

    /// True when `user` may open it.
    func allows(_ user: ConsoleUser) -> Bool { permission?.allows(user) ?? true }

    /// The pages shown in the navigation (the live view is reached from a broadcast).
    static let navigation: [ConsolePage] = [.dashboard, .newAnnouncement, .emergency, .approvals, .calendar, .logs]
}
