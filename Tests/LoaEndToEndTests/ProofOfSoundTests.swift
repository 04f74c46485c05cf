import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import LoaStore
import Testing

/// Receivers whose speaker is a PulseAudio null sink and whose microphone is its monitor:
/// one sounds, one is muted (a dead horn). The self-test at installation and each airing
/// say which, in the state, the log and on the dashboard.
@Suite("Proof of sound from receivers with a microphone", .serialized)
struct ReceiverProofOfSoundTests {
    /// A receiver of `hamlet` playing to `pulse`'s sink and listening to its monitor.
    static func receiver(_ commune: Commune, _ device: String, hamlet: String, pulse: PrivatePulseAudio) throws -> TestReceiver {
        let speakerConfig = commune.directory.path("\(device)-speaker.asoundrc")
        let micConfig = commune.directory.path("\(device)-mic.asoundrc")
        let name = device.replacingOccurrences(of: "-", with: "_")
        try pulse.output(name: "\(name)_out").configuration!.write(to: speakerConfig, atomically: true, encoding: .utf8)
        try pulse.microphone(name: "\(name)_mic").configuration!.write(to: micConfig, atomically: true, encoding: .utf8)
        return try commune.receiver(device, hamlet: hamlet, adjust: {
            $0.audio = .init(device: "\(name)_out", alsaConfigFile: speakerConfig.path)
            $0.microphone = .init(device: "\(name)_mic", alsaConfigFile: micConfig.path)
        })
    }

    @Test("the sounding speaker passes its installation self-test and each airing is logged heard; the muted one fails both, and the dashboard says so")
    func heardAndNotHeard() async throws {
        let chime = try sampleAudio("chime.wav")
        let rate = 22_050
        let sounding = try PrivatePulseAudio(rate: rate, channels: 1, monitored: true)
        let silent = try PrivatePulseAudio(rate: rate, channels: 1, sink: "hong", monitored: true)
        defer {
            sounding.stop()
            silent.stop()
        }
        try await silent.mute(true)
        let commune = try await Commune()
        defer { Task { await commune.stop() } }
        let good = try Self.receiver(commune, "loa-kieu", hamlet: "thon-a", pulse: sounding)
        let dead = try Self.receiver(commune, "loa-cam", hamlet: "thon-b", pulse: silent)
        good.start()
        dead.start()
        defer { Task { await good.stop(); await dead.stop() } }

        // The installation's self-test, once each has its hamlet's document.
        _ = try await eventually(within: .seconds(40)) {
            try await commune.controller.store.devices().filter { $0.speakerTestedAt != nil }.count == 2
        }
        let states = try await commune.controller.store.devices()
        let goodState = try #require(states.first { $0.device == "loa-kieu" })
        let deadState = try #require(states.first { $0.device == "loa-cam" })
        #expect(goodState.speakerFailures == 0 && (goodState.speakerScore ?? 0) > 0.5, "\(goodState)")
        #expect(deadState.speakerFailures == 1 && (deadState.speakerScore ?? 1) < 0.3, "\(deadState)")

        let announcement = try await commune.announce(chime, to: ["thon-a", "thon-b"], at: Date().addingTimeInterval(3))
        let heard = try #require(
            try await commune.waitForEvents(item: "\(announcement.id)@thon-a", kind: .finished, from: ["loa-kieu"]).first)
        let unheard = try #require(
            try await commune.waitForEvents(item: "\(announcement.id)@thon-b", kind: .finished, from: ["loa-cam"]).first)
        #expect(heard.soundHeard == true && (heard.soundScore ?? 0) > 0.5, "\(heard)")
        #expect(unheard.soundHeard == false && (unheard.soundScore ?? 1) < 0.3, "\(unheard)")

        _ = try await commune.controller.store.addUser(
            name: "ky-thuat", displayName: "Kỹ thuật viên", roles: [.operator], password: ConsoleRoutesTests.password, at: Date())
        let cookie = try await ConsoleRoutesTests.logIn(commune, "ky-thuat")
        let dashboard = try await ConsoleRoutesTests.get(commune, "/console/dashboard", cookie: cookie)
        let alert = try #require(dashboard.html.components(separatedBy: "Loa không kêu").dropFirst().first?.prefix(while: { $0 != "<" }))
        #expect(alert.contains("loa-cam") && !alert.contains("loa-kieu"), "\(alert)")
    }
}
