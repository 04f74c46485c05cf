import Foundation
public import LoaAudio

#if canImport(Glibc)
import Glibc
#endif

/// A private PulseAudio server with one null sink, for real-time-paced ALSA
/// playback without a sound card (ALSA's `pulse` PCM from libasound2-plugins).
///
/// It runs as the current user (root too: PulseAudio only warns) with its own
/// `HOME`, `XDG_RUNTIME_DIR` and `PULSE_RUNTIME_PATH` in a temporary folder,
/// no D-Bus, no idle exit, and one native-protocol socket that allows
/// anonymous clients, so nothing of the machine's own audio setup is touched.
public final class PrivatePulseAudio: Sendable {
    /// The folder holding its runtime files, socket and log.
    public let directory: TemporaryDirectory
    /// `unix:/…/native`, for the ALSA plugin's `server` and `PULSE_SERVER`.
    public let server: String
    /// The null sink's name.
    public let sink: String
    /// The server's process id.
    public let pid: Int32

    /// The ALSA pulse plugin, which `snd_pcm_open_lconf` must be told about
    /// because the configuration text replaces alsa.conf.
    public static let pluginLibrary = "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so"

    /// Starts `pulseaudio` with a null sink at `rate` Hz and waits for its socket.
    /// - Throws: `PulseError` saying what is missing or why it did not start.
    /// - Parameter monitored: for a sink whose monitor is recorded (a microphone): no
    ///   rewinds, since the monitor of a sink that rewinds misses what a new stream plays.
    public init(rate: Int, channels: Int = 2, sink: String = "loa", monitored: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pulseaudio") else {
            throw PulseError("pulseaudio is not installed (apt-get install pulseaudio)")
        }
        guard FileManager.default.fileExists(atPath: Self.pluginLibrary) else {
            throw PulseError("ALSA's pulse plugin is missing: \(Self.pluginLibrary) (apt-get install libasound2-plugins)")
        }
        directory = try TemporaryDirectory(prefix: "loa-pulse")
        let socket = directory.path("native").path
        server = "unix:\(socket)"
        self.sink = sink
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.url.path
        environment["XDG_RUNTIME_DIR"] = directory.url.path
        environment["PULSE_RUNTIME_PATH"] = directory.path("runtime").path
        environment["PULSE_STATE_PATH"] = directory.path("state").path
        environment.removeValue(forKey: "PULSE_SERVER")
        environment.removeValue(forKey: "DBUS_SESSION_BUS_ADDRESS")
        let log = directory.path("pulseaudio.log").path
        pid = try ChildProcess.spawn(
            "/usr/bin/pulseaudio",
            [
                "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disallow-exit",
                "--log-target=stderr", "--log-level=warning",
                "--load=module-null-sink sink_name=\(sink) rate=\(rate) channels=\(channels)\(monitored ? " norewinds=1" : "")",
                "--load=module-native-protocol-unix auth-anonymous=1 socket=\(socket)",
            ],
            environment: environment, log: log)
        for _ in 0..<250 {
            if let status = ChildProcess.exitStatus(pid) {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw PulseError("pulseaudio exited with status \(status): \(text.suffix(600))")
            }
            if FileManager.default.fileExists(atPath: socket) { return }
            usleep(20_000)
        }
        ChildProcess.stop(pid)
        throw PulseError("pulseaudio made no socket at \(socket) within 5 s")
    }

    deinit { stop() }

    /// Stops the server and removes its folder.
    public func stop() {
        ChildProcess.stop(pid)
        directory.remove()
    }

    /// The ALSA configuration text defining `name` as a pulse PCM on this server's null sink.
    public func alsaConfiguration(name: String) -> String {
        """
        pcm_type.pulse { lib "\(Self.pluginLibrary)" }
        pcm.\(name) {
            type pulse
            server "\(server)"
            device "\(sink)"
        }
        """
    }

    /// An ALSA capture PCM recording the null sink's monitor: a microphone that hears
    /// exactly what the sink plays (nothing while it is muted).
    public func microphone(name: String = "loa_mic") -> ALSAOutput {
        ALSAOutput(device: name, configuration: """
            pcm_type.pulse { lib "\(Self.pluginLibrary)" }
            pcm.\(name) {
                type pulse
                server "\(server)"
                device "\(sink).monitor"
            }
            """)
    }

    /// Mutes or unmutes the null sink (`pactl set-sink-mute`): a speaker that makes no sound.
    public func mute(_ muted: Bool) async throws {
        let status = try await ChildProcess.run("/usr/bin/pactl", ["-s", server, "set-sink-mute", sink, muted ? "1" : "0"])
        guard status == 0 else { throw PulseError("pactl set-sink-mute exited with \(status)") }
    }

    /// An ALSA output playing to this server's null sink.
    public func output(name: String = "loa_pulse") -> ALSAOutput {
        ALSAOutput(device: name, configuration: alsaConfiguration(name: name))
    }
}

/// PulseAudio could not be used; the text says why.
public struct PulseError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
