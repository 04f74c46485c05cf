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

/// A receiver whose speaker is paced like a sound card and records every playback in a
/// WAV of its own, in the order played.
///
/// The plain ALSA `file` PCM is not real-time (a 7 s notice "plays" in a few ms, so nothing
/// could interrupt it) and rewrites its one file at each playback. Here the file PCM writes
/// into a named pipe read by a Perl process that shrinks the pipe to one page and reads at
/// the audio's byte rate, so ALSA's writes block as on a card; it starts a new recording at
/// each WAV header (each playback writes one). A pipe the PCM opens itself (`file "|cmd"`)
/// would not do: glibc's popen leaves its end inheritable, other tests' child processes
/// keep it open, and closing the PCM then waits seconds for the reader to see the end.
final class PacedReceiver: Sendable {
    let receiver: Receiver
    /// Its speaker.
    let speaker: PacedSpeaker
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// A receiver set up as `configuration` says, but with the paced recording speaker;
    /// `bytesPerSecond` is the pace (Loa's sample audio is 16-bit mono 22 050 Hz).
    init(configuration: ReceiverConfiguration, bytesPerSecond: Int = 44_100) async throws {
        speaker = try await PacedSpeaker(device: configuration.deviceID, bytesPerSecond: bytesPerSecond)
        var configuration = configuration
        configuration.audio = speaker.audio
        receiver = try Receiver(configuration: configuration)
    }

    /// Where the speaker's pipe, reader and recordings are.
    var folder: TemporaryDirectory { speaker.folder }

    func start() {
        task.withLock { $0 = Task { [receiver] in try await receiver.run() } }
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
        speaker.stop()
    }

    /// Every playback recorded, in order (`PacedSpeaker.recordings()`).
    func recordings() async throws -> [PCMAudio] { try await speaker.recordings() }
}

/// A speaker paced like a sound card that records every playback in a WAV of its own,
/// for a receiver in this process or in a child process (it outlives the receiver).
final class PacedSpeaker: Sendable {
    /// The folder of the pipe, the reader and its recordings.
    let folder: TemporaryDirectory
    /// The receiver's `audio` settings that play into it.
    let audio: ReceiverConfiguration.Audio
    private let reader: Int32

    init(device: String, bytesPerSecond: Int = 44_100) async throws {
        folder = try TemporaryDirectory(prefix: "loa-paced-\(device)")
        let script = folder.path("reader.pl")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let recordings = folder.path("recordings")
        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        let pipe = folder.path("speaker.fifo")
        guard mkfifo(pipe.path, 0o600) == 0 else { throw PacedSpeakerError("mkfifo \(pipe.path): errno \(errno)") }
        let ready = folder.path("reader.ready")
        reader = try ChildProcess.spawn(
            "/usr/bin/perl", [script.path, pipe.path, recordings.path, "\(bytesPerSecond)", ready.path],
            log: folder.path("reader.log").path)
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: ready.path) {
            guard ContinuousClock.now < deadline else { throw PacedSpeakerError("the paced speaker's reader did not start") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let name = "loa_paced_\(device.replacingOccurrences(of: "-", with: "_"))"
        let output = ALSAFilePCM.output(writingTo: pipe, name: name)
        let alsaConfig = folder.path("asoundrc")
        try output.configuration!.write(to: alsaConfig, atomically: true, encoding: .utf8)
        audio = .init(device: name, alsaConfigFile: alsaConfig.path)
    }

    func stop() {
        ChildProcess.stop(reader, grace: .seconds(1))
        folder.remove()
    }

    /// Every playback recorded, in order: ends the recording (the reader writes out what
    /// is still queued in the pipe and exits), so call it once the playbacks are over.
    func recordings() async throws -> [PCMAudio] {
        kill(reader, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while ChildProcess.exitStatus(reader) == nil {
            guard ContinuousClock.now < deadline else { throw PacedSpeakerError("the paced speaker's reader did not finish") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let directory = folder.path("recordings")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".wav") }.sorted()
            .map { try ALSAFilePCM.readPlayedPCM(at: directory.appendingPathComponent($0)) }
    }

    /// Reads PIPE at BYTES_PER_SECOND and writes each WAV stream in it to DIR/NNNN.wav;
    /// on SIGTERM writes out what is queued and exits.
    private static let script = #"""
        use strict;
        use warnings;
        use POSIX ();
        use Time::HiRes qw(time sleep);
        my ($pipe, $dir, $bytesPerSecond, $readyFile) = @ARGV;
        # Keep no inherited descriptor (another test's pipe) open: its reader would wait for us.
        POSIX::close($_) for 3 .. 1023;
        # Read-write: the pipe never ends, and the PCM's open never waits for a reader.
        open(my $in, '+<', $pipe) or die "cannot open $pipe: $!";
        binmode($in);
        fcntl($in, 1031, 4096);    # F_SETPIPE_SZ: a one-page pipe, so the writer feels the pace at once
        my $stop = 0;
        $SIG{TERM} = sub { $stop = 1 };
        my $parent = getppid();    # a test that fails before stopping us must not leave us behind
        open(my $ready, '>', $readyFile) or die "cannot write $readyFile: $!";
        close($ready);
        my ($out, $name, $count, $pending) = (undef, undef, 0, '');
        my ($begun, $total) = (undef, 0);
        sub put { my ($bytes) = @_; syswrite($out, $bytes) if $out && length($bytes) }
        sub finish { if ($out) { close($out); rename("$name.part", $name); undef $out; } }
        sub begin {
            finish();
            $name = sprintf("%s/%04d.wav", $dir, ++$count);
            open($out, '>', "$name.part") or die "cannot write $name.part: $!";
            binmode($out);
        }
        while (1) {
            my $rin = '';
            vec($rin, fileno($in), 1) = 1;
            my $found = select(my $rout = $rin, undef, undef, $stop ? 0 : 0.05);
            next if $found < 0;    # interrupted by SIGTERM: look again without waiting
            if ($found == 0) {
                last if $stop || getppid() != $parent;
                ($begun, $total) = (undef, 0);    # idle: pace afresh from the next byte
                next;
            }
            my $n = sysread($in, my $chunk, int($bytesPerSecond / 20));
            if (!defined $n) { next if $!{EINTR}; die "cannot read $pipe: $!"; }
            $pending .= $chunk;
            # Each playback starts with a WAV header: "RIFF", its size, "WAVEfmt ".
            while (1) {
                my $at = index($pending, "RIFF");
                if ($at < 0) {
                    my $keep = length($pending) < 3 ? length($pending) : 3;
                    put(substr($pending, 0, length($pending) - $keep));
                    $pending = substr($pending, length($pending) - $keep);
                    last;
                }
                if (length($pending) < $at + 16) {
                    put(substr($pending, 0, $at));
                    $pending = substr($pending, $at);
                    last;
                }
                put(substr($pending, 0, $at));
                if (substr($pending, $at + 8, 8) eq "WAVEfmt ") {
                    begin();
                    put(substr($pending, $at, 16));
                    $pending = substr($pending, $at + 16);
                } else {
                    put(substr($pending, $at, 1));
                    $pending = substr($pending, $at + 1);
                }
            }
            next if $stop;
            $begun //= time;
            $total += $n;
            my $ahead = $begun + $total / $bytesPerSecond - time;
            sleep($ahead) if $ahead > 0;
        }
        put($pending);
        finish();
        """#
}

/// The paced speaker could not be set up or read.
struct PacedSpeakerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
