public import LoaDomain

/// A small schedule in code for tests of schedule versions and approvals: the
/// test commune's two hamlets (`thon-a`, `thon-b`), morning and evening slots,
/// a weekly propaganda text, a dialogue notice and an emergency warning.
public enum SampleSchedule {
    /// The night's quiet hours, 21:30–05:00.
    public static let nightQuietHours = [QuietHours(start: LocalTime(hour: 21, minute: 30)!, end: LocalTime(hour: 5, minute: 0)!)]

    /// The schedule; `media` becomes the content of `audioProgramme` when given.
    /// - Parameter quietHours: the site's quiet hours; a test that airs something a few
    ///   minutes from now passes `[]`, so that it holds at 03:45 as at noon.
    public static func make(
        site: String = "xa-thu-nghiem", media: MediaReference? = nil, quietHours: [QuietHours] = nightQuietHours
    ) -> BroadcastSchedule {
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        var programmes = [
            Programme(
                id: "tuyen-truyen-mo-hinh", title: "Chính quyền thân thiện, vì Nhân dân phục vụ", category: .propaganda,
                content: .text("Xã triển khai mô hình chính quyền thân thiện."), durationSeconds: 60,
                recurrence: Recurrence(days: .weekly(weekdays), times: .inSlots(["sang", "chieu"], timesPerDay: 2))),
            Programme(
                id: "hoi-nghi-doi-thoai", title: "Thông báo hội nghị đối thoại", category: .dialogue, priority: .priority,
                content: .text("Mời bà con dự hội nghị đối thoại."), durationSeconds: 45, targets: .hamlets(["thon-a"]),
                recurrence: Recurrence(days: .daily, times: .inSlots(["chieu"], timesPerDay: nil)),
                meeting: MeetingNotice(date: LocalDate(year: 2026, month: 12, day: 5)!, kind: .dialogueConference)),
            Programme(
                id: "canh-bao-lu", title: "Cảnh báo lũ", category: .emergency, priority: .emergency,
                content: .text("Nước sông đang lên, bà con khẩn trương sơ tán."), durationSeconds: 30,
                recurrence: Recurrence(days: .once(LocalDate(year: 2026, month: 11, day: 24)!), times: .at([LocalTime(hour: 9, minute: 0)!]))),
        ]
        if let media {
            programmes.append(Programme(
                id: audioProgramme, title: "Công khai ngân sách quý III", category: .disclosure,
                content: .audio(path: "Audio/thong-bao-mau.wav", media: media), durationSeconds: 5, targets: .groups(["ven-song"]),
                recurrence: Recurrence(days: .daily, times: .inSlots([], timesPerDay: 1)),
                disclosure: Disclosure(item: 2, decisionDate: LocalDate(year: 2026, month: 11, day: 20)!)))
        }
        return BroadcastSchedule(
            site: SiteSettings(
                id: site, name: "Xã Thử Nghiệm",
                slots: [
                    BroadcastSlot(id: "sang", name: "Buổi sáng", start: LocalTime(hour: 5, minute: 0)!,
                                  end: LocalTime(hour: 5, minute: 30)!, weekdays: weekdays, maxMinutes: 15),
                    BroadcastSlot(id: "chieu", name: "Buổi chiều", start: LocalTime(hour: 17, minute: 0)!,
                                  end: LocalTime(hour: 17, minute: 30)!, weekdays: weekdays, maxMinutes: 15),
                ],
                quietHours: quietHours),
            hamlets: [
                ScheduleHamlet(id: "thon-a", name: "Thôn Đông", receivers: ["loa-a1"]),
                ScheduleHamlet(id: "thon-b", name: "Thôn Đoài", receivers: ["loa-b1"]),
            ],
            groups: [HamletGroup(id: "ven-song", name: "Các thôn ven sông", hamlets: ["thon-a", "thon-b"])],
            programmes: programmes)
    }

    /// The id of the audio programme `make(media:)` adds.
    public static let audioProgramme = "cong-khai-ngan-sach"
}
