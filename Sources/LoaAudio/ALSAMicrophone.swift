import CALSA
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// What a microphone heard: mono audio and when its first frame was captured.
public struct Recording: Sendable {
    public var audio: PCMAudio
    /// The system clock when the first frame was captured (ALSA's trigger timestamp).
    public var startedAt: Date

    public init(audio: PCMAudio, startedAt: Date) {
        self.audio = audio
        self.startedAt = startedAt
    }
}

/// Records from an ALSA capture PCM (a device's microphone) on a dedicated thread.
public final class ALSAMicrophone: Sendable {
    /// The PCM to record from, e.g. "default", "plughw:1", or a name its configuration defines.
    public let input: ALSAOutput

    /// A microphone on `input`; nothing is opened until ``record(seconds:sampleRate:stop:)``.
    public init(input: ALSAOutput) { self.input = input }

    /// Opens the PCM, records `seconds` of mono 16-bit audio at `sampleRate`, closes it.
    /// Overruns are recovered (the frames lost are lost). Cancelling the task ends the
    /// recording early with what was captured. `started` is told, on the recording's
    /// thread, once capture runs (opening a sound server's PCM can take a few hundred ms).
    /// - Throws: ``ALSAError`` when the device cannot be opened, configured or read.
    public func record(
        seconds: Double, sampleRate: Int = 16_000, started: (@Sendable () -> Void)? = nil
    ) async throws -> Recording {
        let cancelled = PlaybackStop()
        let input = input
        return try await withTaskCancellationHandler {
            try await DedicatedThread.run(name: "loa-mic-\(input.device)") {
                let pcm = try ALSAPCM(input, stream: SND_PCM_STREAM_CAPTURE)
                let geometry = try pcm.configure(sampleRate: sampleRate, channels: 1)
                let total = Int(seconds * Double(sampleRate))
                var samples = [Int16](repeating: 0, count: total)
                let running = try pcm.start()
                started?()
                var captured = 0
                while captured < total, !cancelled.isStopped {
                    let asked = min(geometry.periodFrames, total - captured)
                    let read = samples.withUnsafeMutableBufferPointer { buffer in
                        snd_pcm_readi(pcm.handle, buffer.baseAddress! + captured, snd_pcm_uframes_t(asked))
                    }
                    if read >= 0 {
                        captured += read
                    } else {
                        try pcm.check(snd_pcm_recover(pcm.handle, Int32(read), 1), "snd_pcm_recover after snd_pcm_readi")
                        try pcm.check(snd_pcm_start(pcm.handle), "snd_pcm_start after an overrun")
                    }
                }
                pcm.drop()
                return Recording(
                    audio: PCMAudio(sampleRate: sampleRate, channels: 1, samples: Array(samples.prefix(captured))),
                    startedAt: running.trigger ?? running.afterStart)
            }
        } onCancel: {
            cancelled.stop()
        }
    }
}
