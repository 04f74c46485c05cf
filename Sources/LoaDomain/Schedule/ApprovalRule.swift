#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Who must approve what before it airs or is posted: the two-person rule.
///
/// A normal or priority programme needs one approver; an emergency two different
/// people (one person approving twice counts once). A notice is approved as an
/// emergency when it is in the emergency category, else as a normal item.
public enum ApprovalRule {
    /// Different approvers an item of `priority` needs.
    public static func requiredApprovers(for priority: PriorityClass) -> Int { priority == .emergency ? 2 : 1 }

    /// The class a notice is approved as.
    public static func approvalPriority(of notice: Notice) -> PriorityClass {
        notice.category == .emergency ? .emergency : .normal
    }

    /// When approvals (by whom and when, earliest first) made an item of `priority`
    /// approved: the time of the approval that made the people enough; nil while they are not.
    public static func approvedAt(_ approvals: [(name: String, at: Date)], priority: PriorityClass) -> Date? {
        var people = Set<String>()
        for approval in approvals where people.insert(approval.name).inserted {
            if people.count >= requiredApprovers(for: priority) { return approval.at }
        }
        return nil
    }
}
