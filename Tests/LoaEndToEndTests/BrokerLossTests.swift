import Foundation
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaProvisioning
import LoaReceiver
import LoaStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The broker goes down; an announcement is made while it is away. The receiver
/// fetches its hamlet's signed document from the controller over HTTP and airs it;
/// its events reach the controller once the broker is back.
@Suite("A receiver while its broker is down")
struct BrokerLossTests {
    @Test("with the broker killed, an announcement still reaches the receiver over HTTP and sounds; its proof of play arrives when the broker is back")
    func documentOverHTTP() async throws {
        let commune = try await Commune()
        defer { Task { await commune.stop() } }
        // The controller serves a hamlet's document to that hamlet's registered devices only.
        var registry = DeviceRegistry()
        let device = try registry.add(site: commune.site.id, hamlet: "thon-a").username
        try registry.save(to: commune.directory.path("controller/devices.json"))
        let loudspeaker = try commune.receiver(device, hamlet: "thon-a", scheduleFetchSeconds: 1)
        loudspeaker.start()
        defer { Task { await loudspeaker.stop() } }
        _ = try await eventually(within: .seconds(10)) {
            try await commune.controller.store.devices().contains { $0.device == device && $0.status == .online }
        }

        kill(commune.broker.processID, SIGKILL)
        let startAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 8).rounded())
        let media = try await commune.controller.media.addAudio(try sampleAudio("chime.wav"))
        let sent = try await commune.controller.announcements.send(AnnouncementRequest(
            title: "Tin khi mất kết nối", category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: startAt))
        #expect(sent.delivery == .pending, "the broker is down: the document is not on it")
        let item = "\(sent.announcement.id)@thon-a"

        _ = try await eventually(within: .seconds(20)) { await loudspeaker.receiver.finishedItems.contains(item) }
        let wav = try Data(contentsOf: loudspeaker.speakerFile)
        #expect(wav.count > 44 + 16_000, "the speaker wrote the clip (\(wav.count) bytes)")

        try commune.broker.restart()
        let finished = try await commune.waitForEvents(item: item, kind: .finished, from: [device], within: .seconds(30))
        #expect(finished.map(\.device) == [device])
        let started = try await commune.waitForEvents(item: item, kind: .started, from: [device])
        let offset = try #require(started.first?.startOffsetMs)
        #expect(abs(offset) < 500, "it sounded at its instant (\(offset) ms)")
    }
}
