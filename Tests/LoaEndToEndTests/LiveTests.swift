import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore
import Testing

/// A leader speaking live with `loa live`: the microphone is a PulseAudio null sink's
/// monitor read through ALSA by ffmpeg, the "voice" a tone played into that sink; the
/// controller puts it on its relay, and a receiver plays it through ALSA.
@Suite("A leader speaks live to the hamlets", .serialized)
struct LiveTests {
    @Test("loa live: the voice reaches the speaker; the session is the leader's, and ends as finished when the leader stops")
    func leaderSpeaksLive() async throws {
        let microphone = try PrivatePulseAudio(rate: 24_000, channels: 1, sink: "mic", monitored: true)
        defer { microphone.stop() }
        let rig = try await RelayRig()
        let commune = rig.commune
        defer { Task { await rig.stop() } }
        let tokenFile = try await rig.leaderReadyToSpeak()
        let alsa = commune.directory.path("microphone.asoundrc")
        try microphone.microphone(name: "loa_mic").configuration!.write(to: alsa, atomically: true, encoding: .utf8)

        let a1 = try commune.receiver("loa-a1", hamlet: "thon-a", adjust: try rig.appendingSpeaker("loa-a1"))
        a1.start()
        defer { Task { await a1.stop() } }

        // The leader's voice: a 1 kHz tone into the microphone's room for the whole session.
        let voice = PCMAudio(
            sampleRate: 24_000, channels: 1,
            samples: (0..<24_000 * 16).map { Int16(9000 * sin(2 * Double.pi * 1000 * Double($0) / 24_000)) })
        let speaking = Task { try await ALSAPlayer(output: microphone.output(name: "loa_voice")).play(voice) }
        defer { speaking.cancel() }

        let log = commune.directory.path("loa-live.log").path
        let live = try ChildProcess.spawn(loaExecutable(), [
            "live", "--controller", "http://127.0.0.1:\(commune.httpPort)", "--token-file", tokenFile.path,
            "--title", "Chủ tịch xã nói chuyện với bà con", "--hamlets", "thon-a", "--device", "loa_mic", "--alsa-config", alsa.path,
            "--seconds", "10",
        ], log: log)
        var status: Int32?
        for _ in 0..<400 where status == nil {
            try await Task.sleep(for: .milliseconds(100))
            status = ChildProcess.exitStatus(live)
        }
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "loa live: \(said)")

        // The session was the leader's programme; it has left the schedule since.
        let versions = try await commune.controller.store.scheduleVersions()
        let session = try #require(versions.flatMap(\.schedule.programmes).first { $0.content == .live(speaker: "chu-tich") }, "\(said)")
        #expect(session.priority == .priority && session.title == "Chủ tịch xã nói chuyện với bà con")
        #expect(try await commune.controller.store.activeSchedule()?.schedule.programmes.contains { $0.id == session.id } == false)

        let item = try #require(try await commune.controller.store.events(device: "loa-a1").first { $0.item.hasPrefix(session.id) }?.item)
        let finished = try await commune.waitForEvents(item: item, kind: .finished, from: ["loa-a1"], within: .seconds(15))
        let played = try #require(finished.first?.playedMs)
        #expect(played >= 3_000 && played <= 10_000, "the voice sounded \(played) ms")
        #expect(finished.first?.reason?.contains("rút khỏi lịch") == true, "\(finished.first?.reason ?? "")")
        let tones = try RelayTests.sessions(in: a1.speakerFile).flatMap(RelayTests.tones(in:))
        #expect(tones.filter { $0 == 1000 }.count >= 4, "the speaker did not get the voice: \(tones)")
    }
}
