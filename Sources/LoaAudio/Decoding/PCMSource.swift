/// Audio a speaker can play, read a buffer at a time on the playback's thread, so that a
/// long item is never held whole in memory: a file decoded as it plays (``AudioFile``),
/// levelled as it plays (``LevelledSource``), or decoded audio already in memory (``PCMAudio``).
public protocol PCMSource: Sendable {
    /// Frames per second.
    var sampleRate: Int { get }
    /// Samples per frame.
    var channels: Int { get }
    /// Its playing time, as far as it is known before it is read (a file's is declared).
    var duration: Duration { get }
    /// A reader from the first frame. Each playback opens its own.
    /// - Throws: when the audio cannot be opened (``AudioDecodingError`` for a file).
    func openReader() throws -> any PCMReader
}

/// One pass over a ``PCMSource``'s frames. Used by one thread at a time.
public protocol PCMReader: AnyObject {
    /// Replaces `buffer`'s contents with the next frames, at most `maxFrames` of them,
    /// interleaved, and returns how many; 0 only at the end.
    /// - Throws: when the rest cannot be read or decoded (``AudioDecodingError``).
    func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int
}

extension PCMSource {
    /// The first `seconds` of the audio as it will sound (for matching what a microphone heard).
    /// - Throws: when it cannot be read.
    public func prefix(seconds: Double) throws -> PCMAudio {
        let reader = try openReader()
        let wanted = seconds * Double(sampleRate) < Double(Int.max / 2) ? Int(seconds * Double(sampleRate)) : Int.max / 2
        var samples: [Int16] = []
        var buffer: [Int16] = []
        var frames = 0
        while frames < wanted {
            let read = try reader.read(maxFrames: min(4096, wanted - frames), into: &buffer)
            guard read > 0 else { break }
            samples += buffer
            frames += read
        }
        return PCMAudio(sampleRate: sampleRate, channels: channels, samples: samples)
    }

    /// Every frame, decoded into memory (for tests and short audio).
    /// - Throws: when it cannot be read.
    public func decodedWhole() throws -> PCMAudio {
        try prefix(seconds: .infinity)
    }
}

extension PCMAudio: PCMSource {
    public func openReader() throws -> any PCMReader { PCMAudioReader(self) }
}

/// Reads a ``PCMAudio`` in memory, a slice at a time.
final class PCMAudioReader: PCMReader {
    private let audio: PCMAudio
    private var position = 0

    init(_ audio: PCMAudio) { self.audio = audio }

    func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int {
        let frames = min(maxFrames, audio.frameCount - position)
        guard frames > 0 else { return 0 }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: audio.samples[position * audio.channels..<(position + frames) * audio.channels])
        position += frames
        return frames
    }
}
