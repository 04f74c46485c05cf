import Foundation
import LoaDomain
import LoaScheduleFiles
import Testing

@Suite("The example schedules in Schedules/")
struct ExampleScheduleTests {
    static var paths: [String] {
        let directory = Fixture.root.appendingPathComponent("Schedules")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test("load together without errors or warnings")
    func clean() throws {
        let result = ScheduleFiles.load(Self.paths)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered).joined(separator: "\n"))")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered).joined(separator: "\n"))")
        let schedule = try #require(result.schedule)
        #expect(schedule.site.id == "xa-binh-giang")
        #expect(schedule.site.name == "Xã Bình Giang")
        #expect(schedule.hamlets.count == 6)
        #expect(schedule.site.slots.map(\.id) == ["sang", "chieu"])
        #expect(schedule.programmes.count == 7)
        #expect(schedule.notices.map(\.id) == [
            "niem-yet-ngan-sach-9-thang", "niem-yet-the-bhyt-2027", "danh-muc-cong-khai-quy-iv-2026",
        ])
    }

    @Test("the notices post the budget and health-insurance disclosures 30 days, and the quarterly list")
    func notices() throws {
        let schedule = try #require(ScheduleFiles.load(Self.paths).schedule)
        let byID = Dictionary(uniqueKeysWithValues: schedule.notices.map { ($0.id, $0) })
        let budget = try #require(byID["niem-yet-ngan-sach-9-thang"])
        #expect(budget.disclosure?.item == 2 && budget.displayDays == 30 && budget.targets == .all)
        #expect(budget.body.contains("| Thu ngân sách xã được hưởng theo phân cấp | 1.250.000.000 đồng |"))
        let insurance = try #require(byID["niem-yet-the-bhyt-2027"])
        #expect(insurance.disclosure?.item == 7 && insurance.displayDays == 30)
        let list = try #require(byID["danh-muc-cong-khai-quy-iv-2026"])
        #expect(list.category == .disclosure && list.disclosure == nil)
    }

    @Test("a directory stands for its YAML files")
    func directory() {
        let result = ScheduleFiles.load([Fixture.schedulesDirectory])
        #expect(!result.hasErrors)
        #expect(result.schedule?.programmes.count == 7)
    }

    @Test("hold the pieces the commune needs, mapped into the domain")
    func pieces() throws {
        let schedule = try #require(ScheduleFiles.load(Self.paths).schedule)
        let byID = Dictionary(uniqueKeysWithValues: schedule.programmes.map { ($0.id, $0) })

        let model = try #require(byID["cqtt-hang-tuan"])
        #expect(model.title == "Chính quyền thân thiện, vì Nhân dân phục vụ")
        #expect(model.recurrence.days == .weekly([.monday, .thursday]))
        #expect(model.recurrence.times == .inSlots(["chieu"], timesPerDay: nil))

        let budget = try #require(byID["cong-khai-ngan-sach-9-thang"])
        #expect(budget.disclosure?.item == 2)
        guard case .audio = budget.content else { Issue.record("the budget disclosure must be audio"); return }

        let beneficiaries = try #require(byID["cong-khai-the-bhyt-2027"])
        #expect(beneficiaries.disclosure?.item == 7)
        #expect(beneficiaries.recurrence.days == .daily)

        let dialogue = try #require(byID["doi-thoai-thang-12"])
        #expect(dialogue.meeting?.kind == .dialogueConference)

        let storm = try #require(byID["vi-du-canh-bao-bao"])
        #expect(storm.priority == .emergency)
        #expect(storm.targets == .all)
        guard case .at(let times) = storm.recurrence.times else { Issue.record("an emergency airs at fixed times"); return }
        #expect(!times.isEmpty)

        let riverside = try #require(byID["phong-chong-duoi-nuoc"])
        #expect(schedule.hamletIDs(of: riverside.targets) == ["thon-nam", "thon-ha"])
    }

    @Test("audio is measured and hashed, and its absolute path kept for upload")
    func audio() throws {
        let result = ScheduleFiles.load(Self.paths)
        let schedule = try #require(result.schedule)
        let model = try #require(schedule.programmes.first { $0.id == "cqtt-hang-tuan" })
        guard case .audio(let path, let media?) = model.content else {
            Issue.record("the model piece has measured audio")
            return
        }
        #expect(path == "../Audio/thong-bao-mau.mp3")
        #expect(media.contentType == "audio/mpeg")
        #expect(MediaReference.isSHA256(media.sha256))
        #expect((7600...7800).contains(media.durationMs))
        #expect(model.durationSeconds == 8)
        let file = try #require(result.audioFiles["cqtt-hang-tuan"])
        #expect(file == Fixture.root.appendingPathComponent("Audio/thong-bao-mau.mp3").standardizedFileURL.path)
        #expect(media.bytes == (try Data(contentsOf: URL(fileURLWithPath: file))).count)
        let storm = try #require(schedule.programmes.first { $0.id == "vi-du-canh-bao-bao" })
        guard case .audio(_, let chime?) = storm.content else { Issue.record("the storm warning has audio"); return }
        #expect(chime.contentType == "audio/wav")
        #expect(chime.durationMs == 1500)
        let list = try #require(result.audioFiles["cong-khai-the-bhyt-2027"], "the item 7 disclosure airs recorded audio")
        #expect(list.hasSuffix("Audio/cong-khai-the-bhyt.mp3"))
    }

    @Test("planned by the domain's planner, they pass the law's checks: disclosures on time and 3 days, the notice ahead")
    func lawful() throws {
        let schedule = try #require(ScheduleFiles.load(Self.paths).schedule)
        let planner = try Planner(schedule: schedule)
        let window = try #require(LegalChecks.window(for: schedule))
        let checks = LegalChecks.evaluate(planner.plan(from: window.from, days: window.days), of: planner)
        #expect(checks.count == 4)
        for check in checks {
            #expect(check.outcome == .passed, "\(check.rule): \(check.failures.map(\.message))")
        }
    }

    @Test("Vietnamese text is read in NFC")
    func normalised() throws {
        let schedule = try #require(ScheduleFiles.load(Self.paths).schedule)
        for text in schedule.hamlets.map(\.name) + schedule.programmes.map(\.title) {
            #expect(text == text.precomposedStringWithCanonicalMapping)
        }
    }
}
