import LoaDomain

/// Says, in words a commune officer acts on, where one hamlet falls short of Art. 13:
/// a board run broken or too short, too few consecutive loudspeaker days.
enum Law10HamletJudgement {
    static func judge(_ hamlet: ScheduleHamlet, board: Law10ChannelDays, loudspeaker: Law10ChannelDays) -> Law10HamletCheck {
        let name = hamlet.name.prefix(1).lowercased() + hamlet.name.dropFirst()
        var problems: [String] = []
        if let required = board.required, !board.passes {
            if let gap = board.firstGap {
                problems.append(
                    "bảng tin \(name) tắt \(gap.vietnameseDescription): chuỗi ngày niêm yết bị ngắt, dài nhất \(board.longestRun)/\(required) ngày liên tục "
                        + "(the board of \(hamlet.name) was dark \(gap.from)…\(gap.until): the run broke; longest \(board.longestRun) of \(required) days)")
            } else if board.days == 0 {
                problems.append(
                    "bảng tin \(name) chưa ghi nhận ngày niêm yết nào, cần \(required) ngày liên tục "
                        + "(no board of \(hamlet.name) logged the notice; \(required) consecutive days needed)")
            } else {
                problems.append(
                    "bảng tin \(name) mới niêm yết \(board.longestRun)/\(required) ngày liên tục "
                        + "(the board of \(hamlet.name) showed it \(board.longestRun) of \(required) consecutive days)")
            }
        }
        if let required = loudspeaker.required, !loudspeaker.passes {
            let gap = loudspeaker.firstGap.map { ", ngắt \($0.vietnameseDescription)" } ?? ""
            problems.append(
                "loa \(name) phát \(loudspeaker.longestRun)/\(required) ngày liên tiếp\(gap) "
                    + "(the loudspeakers of \(hamlet.name) aired it \(loudspeaker.longestRun) of \(required) consecutive days)")
        }
        return Law10HamletCheck(
            hamlet: hamlet.id, name: hamlet.name, board: board, loudspeaker: loudspeaker, problems: problems,
            passes: problems.isEmpty)
    }
}
