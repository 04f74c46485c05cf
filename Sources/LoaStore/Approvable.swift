import LoaDomain
import LoaProtocol

/// A part of a schedule that is approved against its content digest: a programme
/// (`ProgrammeDigest`) or a notice (`NoticeDigest`). Ids are unique across both,
/// so their approvals share one table.
struct Approvable {
    var id: String
    var digest: String
    /// `emergency` needs two different approvers.
    var priority: PriorityClass
    /// Its status given its approvers.
    var status: ([ProgrammeApproval.Approver]) -> ProgrammeApproval

    /// Every programme, then every notice, of `schedule`, in schedule order.
    static func all(of schedule: BroadcastSchedule) -> [Approvable] {
        schedule.programmes.map { programme in
            let digest = ProgrammeDigest.of(programme)
            return Approvable(id: programme.id, digest: digest, priority: programme.priority) {
                ProgrammeApproval(programme: programme, digest: digest, approvers: $0)
            }
        } + schedule.notices.map { notice in
            let digest = NoticeDigest.of(notice)
            return Approvable(id: notice.id, digest: digest, priority: ApprovalRule.approvalPriority(of: notice)) {
                ProgrammeApproval(notice: notice, digest: digest, approvers: $0)
            }
        }
    }
}
