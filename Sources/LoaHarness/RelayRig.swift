public import Foundation
import LoaController
public import LoaReceiver
import LoaAudio
import LoaStore

/// A commune whose controller relays (docs/relay.md): the `Commune`, and the relay's
/// Icecast on a free loopback port, every listener checked by the controller.
public final class RelayRig: Sendable {
    public let commune: Commune
    public let icecast: IcecastServer

    /// Starts the commune with `relay` settings (a random source password, the given stall
    /// time) and then its Icecast, which needs the controller's address. Icecast's port is
    /// chosen before the commune starts, so another server of a test running beside may
    /// take it first: then all is started again on another port (three tries).
    public init(stallSeconds: Double? = nil) async throws {
        var attempt = 0
        while true {
            attempt += 1
            let port = try MosquittoBroker.freePort()
            let password = UUID().uuidString
            let commune = try await Commune(relay: { folder in
                let file = folder.path("icecast-source.password")
                try password.write(to: file, atomically: true, encoding: .utf8)
                return RelaySettings(icecastURL: "http://127.0.0.1:\(port)", sourcePasswordFile: file.path, stallSeconds: stallSeconds)
            })
            do {
                icecast = try IcecastServer(
                    port: port, sourcePassword: password, listenerCheckURL: "http://127.0.0.1:\(commune.httpPort)/relay/listeners")
                self.commune = commune
                return
            } catch {
                await commune.stop()
                if attempt == 3 { throw error }
            }
        }
    }

    /// Stops the controller, the broker and the Icecast.
    public func stop() async {
        await commune.stop()
        icecast.stop()
    }

    /// Readies the commune for a live session: the sample schedule applied (no quiet hours),
    /// and the leader `chu-tich` (an approver), whose API token is written to the returned file.
    public func leaderReadyToSpeak() async throws -> URL {
        try await commune.controller.programmes.applySchedule(SampleSchedule.make(quietHours: []), sourceFiles: [:], by: "can-bo-vh")
        let token = try await commune.controller.store.addUser(
            name: "chu-tich", displayName: "Chủ tịch UBND xã", roles: [.approver], at: Date()).token
        let tokenFile = commune.directory.path("chu-tich.token")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        return tokenFile
    }

    /// Settings for a receiver of `device` whose speaker appends the WAV of every playback
    /// (each stream session opens the PCM again) to `commune.speakerFile(of:)`.
    public func appendingSpeaker(_ device: String) throws -> @Sendable (inout ReceiverConfiguration) -> Void {
        let name = "loa_\(device.replacingOccurrences(of: "-", with: "_"))"
        let file = commune.directory.path("\(device)-sessions.alsa")
        try ALSAFilePCM.output(pipingTo: "cat >> '\(commune.speakerFile(of: device).path)'", name: name).configuration!
            .write(to: file, atomically: true, encoding: .utf8)
        return { $0.audio = .init(device: name, alsaConfigFile: file.path) }
    }
}
