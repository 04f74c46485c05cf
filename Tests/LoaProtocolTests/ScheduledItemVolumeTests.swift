import Foundation
import LoaDomain
import LoaProtocol
import Testing

@Suite("The volume step an item plays at")
struct ScheduledItemVolumeTests {
    func item(_ priority: PriorityClass, volume: Int?) -> ScheduledItem {
        ScheduledItem(
            id: "p@2026-11-24/sang@thon-a", announcementId: "p", title: "Thông báo", category: .other, priority: priority,
            startAt: Date(timeIntervalSince1970: 1_795_000_000),
            media: MediaReference(sha256: String(repeating: "a", count: 64), bytes: 1000, contentType: "audio/wav", durationMs: 1000),
            volume: volume)
    }

    @Test("a normal or priority item plays at its step, or at 10 without one; an emergency always at 10")
    func playbackVolume() {
        #expect(item(.normal, volume: 4).playbackVolume == 4)
        #expect(item(.priority, volume: 7).playbackVolume == 7)
        #expect(item(.normal, volume: nil).playbackVolume == 10)
        #expect(item(.emergency, volume: 2).playbackVolume == 10)
    }

    @Test("each step below 10 is 2 dB quieter; steps outside 1–10 are taken as the nearest")
    func gain() {
        #expect(SpeakerVolume.gainDecibels(10) == 0)
        #expect(SpeakerVolume.gainDecibels(7) == -6)
        #expect(SpeakerVolume.gainDecibels(1) == -18)
        #expect(SpeakerVolume.gainDecibels(0) == -18 && SpeakerVolume.gainDecibels(12) == 0)
    }

    @Test("a document without volumes (an older controller's) still decodes")
    func olderDocument() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: WireCoding.encode(item(.normal, volume: 5))) as? [String: Any])
        object["volume"] = nil
        let decoded = try WireCoding.decode(ScheduledItem.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.volume == nil && decoded.playbackVolume == 10)
    }
}
