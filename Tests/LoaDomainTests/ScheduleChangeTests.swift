import LoaDomain
import Testing

/// What applying a new schedule version changes: added, removed, changed (needs approval
/// again) and unchanged programmes, by their content digest.
@Suite("The change between two schedule versions")
struct ScheduleChangeTests {
    /// A stand-in digest: the title and length (the store uses `ProgrammeDigest`, a hash of the content).
    static func digest(_ programme: Programme) -> String { "\(programme.title)|\(programme.durationSeconds)" }

    @Test("added and removed by id, changed when the digest differs, unchanged otherwise; a first version adds all")
    func comparison() {
        let a = ScheduleFixture.programme("a"), b = ScheduleFixture.programme("b"), c = ScheduleFixture.programme("c")
        var edited = b
        edited.title = "Bản sửa"
        let before = ScheduleFixture.schedule([a, b, c])
        var after = ScheduleFixture.schedule([ScheduleFixture.programme("d"), edited, a])
        after.hamlets.append(ScheduleHamlet(id: "thon-moi", name: "Thôn Mới"))

        let change = ScheduleChange(
            version: 2, previousVersion: 1, from: before, to: after, programmeDigest: Self.digest, noticeDigest: { $0.id })
        #expect(change.added == ["d"])
        #expect(change.changed == ["b"])
        #expect(change.unchanged == ["a"])
        #expect(change.removed == ["c"])
        #expect(change.hamletsAdded == ["thon-moi"] && change.hamletsRemoved.isEmpty)
        #expect(!change.siteSettingsChanged)

        let first = ScheduleChange(
            version: 1, previousVersion: nil, from: nil, to: before, programmeDigest: Self.digest, noticeDigest: { $0.id })
        #expect(first.added == ["a", "b", "c"] && first.changed.isEmpty && first.removed.isEmpty && first.hamletsAdded.isEmpty)
    }
}
