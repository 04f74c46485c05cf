import Foundation
import LoaAudio
import LoaFiles
import LoaHarness
import Synchronization
import Testing

/// Audio played while its file arrives: the player reads only below the arrival's mark,
/// waits there, and plays every sample once it comes; what lies past the mark is never read.
@Suite("Audio played while it arrives")
struct ArrivingAudioTests {
    /// A real file written as a download writes it: the bytes past the mark are garbage
    /// (0x55) until the mark is about to pass them, so a reader that read past the mark
    /// would play garbage.
    final class ArrivingOnDisk: ArrivingFile {
        let url: URL
        let bytes: Data
        let length: Int
        private let state = Mutex<(mark: Int, failure: String?)>((0, nil))

        init(_ bytes: Data, at url: URL) throws {
            self.url = url
            self.bytes = bytes
            length = bytes.count
            try Data(repeating: 0x55, count: bytes.count).write(to: url)
        }

        var readableBytes: Int { state.withLock { $0.mark } }
        var failure: String? { state.withLock { $0.failure } }
        func open() throws -> ReadOnlyFile { try ReadOnlyFile(url: url) }

        /// Writes the true bytes up to `mark`, then moves the mark there.
        func arrive(upTo mark: Int) throws {
            let from = readableBytes
            let handle = try FileHandle(forWritingTo: url)
            try handle.seek(toOffset: UInt64(from))
            try handle.write(contentsOf: bytes[from..<mark])
            try handle.close()
            state.withLock { $0.mark = mark }
        }

        func giveUp(_ reason: String) { state.withLock { $0.failure = reason } }
    }

    @Test("WAV or MP3 arriving in pieces plays sample for sample through ALSA, nothing read past the mark", arguments: [
        "sweep-22050-mono.mp3", "tone-16bit-stereo.wav",
    ])
    func playsAsItArrives(name: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let whole = try Fixture.audio(name)
        let arriving = try ArrivingOnDisk(try Fixture.data(name), at: folder.path("arriving"))
        let piece = arriving.length / 8
        try arriving.arrive(upTo: max(piece, 4096))  // the head: enough to learn the format (an MP3 is fed 4 KiB at a time)
        let file = try AudioFile(arriving: arriving, duration: whole.duration)
        #expect(file.sampleRate == whole.sampleRate && file.channels == whole.channels)

        let out = folder.path("out.wav")
        let arrivals = Task.detached {
            for mark in stride(from: max(piece, 4096) + piece, to: arriving.length, by: piece) + [arriving.length] {
                try await Task.sleep(for: .milliseconds(60))
                try arriving.arrive(upTo: mark)
            }
        }
        let report = try await ALSAPlayer(output: ALSAFilePCM.output(writingTo: out)).play(file)
        try await arrivals.value
        #expect(report.framesPlayed == whole.frameCount)
        #expect(try ALSAFilePCM.readPlayedPCM(at: out).samples == whole.samples)
    }

    @Test("a reader at the mark says the bytes have not arrived, and reads them once they have")
    func readerWaitsAtTheMark() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let name = "tone-16bit-stereo.wav"
        let whole = try Fixture.audio(name)
        let arriving = try ArrivingOnDisk(try Fixture.data(name), at: folder.path("arriving"))
        #expect(throws: AudioNotYetArrived.self) { try AudioFile(arriving: arriving, duration: whole.duration) }
        try arriving.arrive(upTo: 4096)
        let reader = try AudioFile(arriving: arriving, duration: whole.duration).openReader()
        var buffer: [Int16] = []
        var samples: [Int16] = []
        var waits = 0
        while true {
            do {
                guard try reader.read(maxFrames: 1000, into: &buffer) > 0 else { break }
                samples += buffer
            } catch is AudioNotYetArrived {
                waits += 1
                try arriving.arrive(upTo: min(arriving.length, arriving.readableBytes + 10_000))
            }
        }
        #expect(waits > 0)
        #expect(samples == whole.samples)
    }

    @Test("when the download is given up, the playback fails at the last verified byte, naming why")
    func givenUpFailsThePlayback() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let name = "tone-16bit-stereo.wav"
        let whole = try Fixture.audio(name)
        let arriving = try ArrivingOnDisk(try Fixture.data(name), at: folder.path("arriving"))
        try arriving.arrive(upTo: arriving.length / 2)
        let file = try AudioFile(arriving: arriving, duration: whole.duration)
        Task.detached {
            try await Task.sleep(for: .milliseconds(300))
            arriving.giveUp("HTTP 404")
        }
        let error = await #expect(throws: AudioDecodingError.self) {
            try await ALSAPlayer(output: ALSAFilePCM.output(writingTo: folder.path("out.wav"))).play(file)
        }
        #expect(error?.description.contains("HTTP 404") == true)
        #expect(error?.description.contains("stopped arriving at byte \(arriving.length / 2)") == true)
    }
}
