import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaProtocol
@testable import LoaReceiver
import LoaStore
import LoaHarness
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Priority classes on the receiver's one speaker, end to end: controller → Mosquitto →
/// receiver → ALSA, with a speaker paced like a sound card that records each playback.
@Suite("A higher class takes the speaker; quiet hours keep all but emergencies off air", .serialized)
struct PreemptionTests {
    /// How far a measured start may be from the set instant (a loaded 2-core machine).
    static let startTolerance = 100.0

    @Test("an emergency cuts a normal announcement short, starts on time, and the cut is reported naming it")
    func emergencyPreemptsNormal() async throws {
        let commune = try await Commune()
        let speaker = try await PacedReceiver(configuration: try commune.receiverConfiguration("loa-p1", hamlet: "thon-a"))
        speaker.start()
        let notice = try sampleAudio("thong-bao-mau.wav")
        let chime = try sampleAudio("chime.wav")
        let now = Date()
        let normal = try await commune.controller.announcements.announce(AnnouncementRequest(
            title: "Thông báo họp thôn", category: .dialogue, priority: .normal,
            media: try await commune.controller.media.addAudio(notice).sha256, hamlets: ["thon-a"], startAt: now.addingTimeInterval(4)))
        let emergency = try await commune.controller.announcements.announce(AnnouncementRequest(
            title: "Báo cháy", category: .emergency, priority: .emergency,
            media: try await commune.controller.media.addAudio(chime).sha256, hamlets: ["thon-a"], startAt: now.addingTimeInterval(7)))
        let normalItem = "\(normal.id)@thon-a"
        let emergencyItem = "\(emergency.id)@thon-a"

        _ = try await commune.waitForEvents(item: emergencyItem, kind: .finished, from: ["loa-p1"], within: .seconds(30))
        _ = try await commune.waitForEvents(item: normalItem, kind: .preempted, from: ["loa-p1"], within: .seconds(5))
        let normalEvents = try await commune.controller.store.events(item: normalItem, device: "loa-p1")
        let emergencyEvents = try await commune.controller.store.events(item: emergencyItem, device: "loa-p1")
        #expect(normalEvents.map(\.kind) == [.received, .ready, .started, .preempted])
        #expect(emergencyEvents.map(\.kind) == [.received, .ready, .started, .finished])

        let noticeAudio = try loudspeakerAudio(notice)
        let chimeAudio = try loudspeakerAudio(chime)
        let preempted = try #require(normalEvents.first { $0.kind == .preempted })
        let playedMs = try #require(preempted.playedMs)
        #expect(playedMs > 0)
        #expect(playedMs < Int(noticeAudio.duration.seconds * 1000), "the whole notice played: \(playedMs) ms")
        let reason = try #require(preempted.reason)
        #expect(reason.hasPrefix("bị ngắt bởi bản tin khẩn cấp 'Báo cháy'"), "\(reason)")
        #expect(reason.contains("preempted by emergency item 'Báo cháy'") && reason.contains(emergencyItem), "\(reason)")
        let started = try #require(emergencyEvents.first { $0.kind == .started })
        let offset = try #require(started.startOffsetMs)
        #expect(abs(offset) < Self.startTolerance, "the emergency started \(offset) ms from its instant")
        #expect(emergencyEvents.first { $0.kind == .finished }?.playedMs == Int(chimeAudio.duration.seconds * 1000))
        #expect(try await commune.controller.store.events(item: normalItem).allSatisfy { $0.kind != .finished })

        // The speaker got the notice's beginning, then (after silence) the whole chime.
        let recordings = try await speaker.recordings()
        try #require(recordings.count == 2, "one recording per playback, got \(recordings.count)")
        let cut = try Sound.body(of: recordings[0])
        let noticeBody = try Sound.body(of: noticeAudio)
        #expect(!cut.isEmpty && cut.count < noticeBody.count, "played \(cut.count) of \(noticeBody.count) samples")
        #expect(cut.elementsEqual(noticeBody.prefix(cut.count)), "the speaker did not get the notice's beginning")
        // Every frame handed to ALSA reached the file PCM (its delay is 0), so the count matches `playedMs`.
        let leadingZeros = noticeAudio.samples.count - noticeBody.count
        let cutMs = (cut.count + leadingZeros) * 1000 / noticeAudio.sampleRate
        #expect(abs(cutMs - playedMs) <= 1, "recorded \(cutMs) ms, reported \(playedMs) ms")
        let chimeBody = try Sound.body(of: chimeAudio)
        #expect(try Sound.body(of: recordings[1]).elementsEqual(chimeBody), "the speaker did not get the whole chime after the cut")

        await speaker.stop()
        await commune.stop()
    }

    @Test("in quiet hours a normal item is reported missed and not played, while an emergency plays")
    func quietHoursLetOnlyEmergenciesThrough() async throws {
        let zone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        let local = WallClock(timeZone: zone).local(Date()).time.secondsSinceMidnight / 60 * 60
        // About an hour either side of now (whole minutes), wrapping past midnight when it must.
        let quiet = QuietHours(
            start: try #require(LocalTime(secondsSinceMidnight: (local - 3600 + 86_400) % 86_400)),
            end: try #require(LocalTime(secondsSinceMidnight: (local + 3600) % 86_400)))
        let site = try await Commune(quietHours: [quiet])
        let speaker = try await PacedReceiver(configuration: try site.receiverConfiguration("loa-q1", hamlet: "thon-a"))
        speaker.start()
        let chime = try sampleAudio("chime.wav")
        let media = try await site.controller.media.addAudio(chime).sha256
        let now = Date()
        let normal = try await site.controller.announcements.announce(AnnouncementRequest(
            title: "Phát thanh buổi tối", category: .propaganda, priority: .normal, media: media, hamlets: ["thon-a"],
            startAt: now.addingTimeInterval(3)))
        let emergency = try await site.controller.announcements.announce(AnnouncementRequest(
            title: "Cảnh báo lũ", category: .emergency, priority: .emergency, media: media, hamlets: ["thon-a"],
            startAt: now.addingTimeInterval(5)))
        let normalItem = "\(normal.id)@thon-a"
        let emergencyItem = "\(emergency.id)@thon-a"

        let missed = try await site.waitForEvents(item: normalItem, kind: .missed, from: ["loa-q1"])
        _ = try await site.waitForEvents(item: emergencyItem, kind: .finished, from: ["loa-q1"])
        let span = "\(quiet.start)–\(quiet.end)"
        #expect(missed.first?.reason == "giờ yên tĩnh \(span): chỉ phát tin khẩn cấp (quiet hours \(span): only emergencies)")
        #expect(try await site.controller.store.events(item: normalItem).map(\.kind) == [.received, .ready, .missed])
        #expect(try await site.controller.store.events(item: emergencyItem).map(\.kind) == [.received, .ready, .started, .finished])
        let started = try #require(try await site.controller.store.events(item: emergencyItem).first { $0.kind == .started })
        #expect(abs(try #require(started.startOffsetMs)) < Self.startTolerance)

        // Only the emergency reached the speaker.
        let recordings = try await speaker.recordings()
        try #require(recordings.count == 1, "one playback expected (the emergency), got \(recordings.count)")
        #expect(try Sound.body(of: recordings[0]).elementsEqual(try Sound.body(of: try loudspeakerAudio(chime))))
        // The controller sends its quiet hours and time zone in every schedule document.
        let document = try await site.controller.dispatcher.publishSchedule(for: "thon-a")
        #expect(document.quietHours == [quiet])
        #expect(document.timeZone == "Asia/Ho_Chi_Minh")

        await speaker.stop()
        await site.stop()
    }
}

// MARK: - Test parts

/// Samples of played or expected audio from the first non-silent one on (a playback at
/// an instant starts with prefilled silence).
enum Sound {
    static func body(of audio: PCMAudio) throws -> ArraySlice<Int16> {
        let start = try #require(audio.samples.firstIndex { $0 != 0 }, "nothing but silence")
        return audio.samples[start...]
    }
}
