import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness
import Testing

/// One long text must not silence a hamlet: nothing the controller publishes may be
/// larger than a receiver accepts.
@Suite("An oversized schedule document cannot silence a hamlet", .serialized)
struct OversizedDocumentTests {
    @Test("a 300 KB title is refused at the API; one already stored is held back from the document, counted, and the next announcement plays")
    func longTitleDoesNotSilence() async throws {
        let commune = try await Commune()
        let receiver = try commune.receiver("loa-a1", hamlet: "thon-a")
        receiver.start()
        let chime = try sampleAudio("chime.wav")
        let media = try await commune.controller.media.addAudio(chime)
        let huge = String(repeating: "Thông báo rất dài ", count: 17_000)  // about 300 KB

        // At the API (and so the console and `loa announce`): refused, naming the field and the limit.
        do {
            _ = try await commune.controller.announcements.announce(AnnouncementRequest(
                title: huge, category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: Date().addingTimeInterval(60)))
            Issue.record("a 300 KB title was accepted")
        } catch {
            #expect(error is ControllerError)
            #expect("\(error)".contains("title:") && "\(error)".contains("at most \(AnnouncementDesk.titleLimit)"), "\(error)")
        }

        // One stored before the limit existed, airing in an hour: the hamlet's document
        // would be larger than a receiver accepts.
        try await commune.controller.store.insert(Announcement(
            id: "tieu-de-dai", title: huge, category: .dialogue, priority: .normal, media: media, hamlets: ["thon-a"],
            startAt: Date().addingTimeInterval(3600), createdAt: Date()))
        let next = try await commune.announce(chime, to: ["thon-a"], at: Date().addingTimeInterval(3))
        let document = try WireCoding.decode(
            ZoneSchedule.self, from: try #require(try await commune.controller.store.latestZoneDocument(zone: "thon-a")))
        #expect(document.items.map(\.announcementId) == [next.id], "the long one is held back, the next one listed")
        #expect(commune.controller.metrics.heldBackForSize >= 1)
        #expect(try await commune.waitForEvents(item: "\(next.id)@thon-a", kind: .finished, from: ["loa-a1"]).count == 1)
        #expect(await receiver.receiver.refusedMessages["oversized"] == nil, "the receiver was never sent an oversized document")
        await commune.stop()
    }
}
