#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaFiles

/// A WAV or MP3 file on disk, decoded a buffer at a time as it is read: nothing but a
/// few kilobytes of it and of its samples is in memory at once, however long it is.
///
/// Opening it reads its head (and, for MP3, decodes its first frames) to learn the
/// format, so a file that will not play is refused before its airing, not during it.
public struct AudioFile: PCMSource {
    /// Where the bytes are read from.
    private enum Origin: Sendable {
        case disk(URL)
        case arriving(any ArrivingFile)

        var path: String {
            switch self {
            case .disk(let url): url.path
            case .arriving: "(still arriving)"
            }
        }
    }

    private let origin: Origin
    public let sampleRate: Int
    public let channels: Int
    /// The playing time declared for it (by the controller, which decoded it whole);
    /// the file itself is read only as it plays.
    public let duration: Duration

    /// The file at `url`, whose playing time is `duration`.
    /// - Throws: ``AudioDecodingError`` naming the file when it cannot be read or is not
    ///   WAV or MP3 Loa can play.
    public init(url: URL, duration: Duration) throws {
        try self.init(.disk(url), duration: duration)
    }

    /// A file still arriving, read only as far as it has arrived: a reader at the mark
    /// throws ``AudioNotYetArrived`` until more is there (the player waits and tries again).
    /// - Throws: ``AudioNotYetArrived`` when its head is not there yet; otherwise as ``init(url:duration:)``.
    public init(arriving file: any ArrivingFile, duration: Duration) throws {
        try self.init(.arriving(file), duration: duration)
    }

    private init(_ origin: Origin, duration: Duration) throws {
        self.origin = origin
        self.duration = duration
        let reader = try Self.reader(for: origin)
        sampleRate = reader.sampleRate
        channels = reader.channels
    }

    public func openReader() throws -> any PCMReader { try Self.reader(for: origin) }

    private static func reader(for origin: Origin) throws -> any AudioFileReader {
        let bytes: any AudioBytes
        let name: String
        do {
            switch origin {
            case .disk(let url):
                name = url.lastPathComponent
                bytes = FileBytes(try ReadOnlyFile(url: url))
            case .arriving(let file):
                name = "audio still arriving"
                bytes = try ArrivingBytes(file)
            }
        } catch {
            throw cannotRead(origin, error)
        }
        do {
            let head = try bytes.read(upToCount: 12)
            try bytes.seek(toOffset: 0)
            switch AudioContainer.detect(head) {
            case .wav: return try WAVFileReader(bytes)
            case .mp3: return try MP3FileReader(bytes)
            case .unknown(let reason): throw AudioDecodingError(reason)
            }
        } catch let error as AudioDecodingError {
            throw AudioDecodingError("\(name): \(error.description)")
        } catch let error as AudioNotYetArrived {
            throw error
        } catch {
            throw cannotRead(origin, error)
        }
    }

    /// The file could not be opened or read: its path and the system's reason.
    private static func cannotRead(_ origin: Origin, _ error: any Error) -> AudioDecodingError {
        AudioDecodingError("cannot read audio file \(origin.path): \((error as? FileError)?.reason ?? "\(error)")")
    }
}

/// A reader of one file format that knows the format once open.
protocol AudioFileReader: PCMReader {
    var sampleRate: Int { get }
    var channels: Int { get }
}

/// A WAV file's `data` chunk read a block at a time, converted as ``WAVDecoder`` converts it.
final class WAVFileReader: AudioFileReader {
    private let handle: any AudioBytes
    private let format: WAVFormat
    /// Bytes of the data chunk not read yet.
    private var remaining: Int

    var sampleRate: Int { format.sampleRate }
    var channels: Int { format.channels }

    /// Walks the chunks up to `data`, reading `fmt ` on the way.
    init(_ handle: any AudioBytes) throws {
        self.handle = handle
        try handle.seek(toOffset: 12)  // after "RIFF" size "WAVE"
        var format: WAVFormat?
        while true {
            let header = try handle.read(upToCount: 8)
            guard header.count == 8 else {
                throw AudioDecodingError(format == nil
                    ? "WAV file has no fmt chunk (the file is cut off or not really WAV); a WAV needs a fmt chunk and a data chunk"
                    : "WAV file has no data chunk (the file is cut off or empty); a WAV needs a fmt chunk and a data chunk")
            }
            let id = String(decoding: header.prefix(4), as: UTF8.self)
            let size = header.withUnsafeBytes { Int($0.loadLE(UInt32.self, at: 4)) }
            switch id {
            case "fmt ":
                let body = try handle.read(upToCount: size)
                guard body.count == size else {
                    throw AudioDecodingError("WAV fmt chunk is cut off: it says \(size) bytes but only \(body.count) follow; the file is incomplete, copy it again")
                }
                format = try body.withUnsafeBytes { try WAVFormat($0[...]) }
                if size & 1 == 1 { _ = try handle.read(upToCount: 1) }
            case "data":
                guard let format else {
                    throw AudioDecodingError("WAV data chunk comes before any fmt chunk; a WAV must describe its format (fmt chunk) before the samples")
                }
                let start = try handle.offset()
                let end = try handle.length()
                guard end - start >= size else {
                    throw AudioDecodingError("WAV data chunk is truncated: it says \(size) bytes but only \(end - start) follow; the file was cut off, copy or export it again")
                }
                self.format = format
                remaining = size
                return
            default:
                // LIST, fact, JUNK, bext, cue …: not needed (chunks are padded to even sizes).
                try handle.seek(toOffset: try handle.offset() + size + (size & 1))
            }
        }
    }

    func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int {
        let bytes = min(remaining / format.blockAlign, maxFrames) * format.blockAlign
        guard bytes > 0 else { return 0 }
        let data = try handle.read(upToCount: bytes)
        guard data.count >= format.blockAlign else { return 0 }
        remaining -= data.count
        buffer = data.withUnsafeBytes { format.convert($0).samples }
        return buffer.count / format.channels
    }
}

/// An MP3 file fed to ``MP3StreamDecoder`` a few kilobytes at a time.
final class MP3FileReader: AudioFileReader {
    private let handle: any AudioBytes
    private let decoder: MP3StreamDecoder
    /// Decoded samples not handed out yet.
    private var pending: [Int16] = []
    private var taken = 0
    private var endOfFile = false
    /// Bytes of the file fed at a time: about a quarter of a second of a 128 kbit/s MP3.
    private static let feedBytes = 4096

    private(set) var sampleRate = 0
    private(set) var channels = 0

    /// Decodes the first frames to learn the format.
    init(_ handle: any AudioBytes) throws {
        self.handle = handle
        decoder = try MP3StreamDecoder()
        while decoder.sampleRate == 0, try feed() {}
        guard decoder.sampleRate > 0, decoder.channels > 0 else {
            throw AudioDecodingError("no MPEG audio frames found in what looks like an MP3 (ID3 tag or frame sync at the start); the file is empty or damaged")
        }
        sampleRate = decoder.sampleRate
        channels = decoder.channels
    }

    /// Feeds the next block of the file; false at its end.
    private func feed() throws -> Bool {
        guard !endOfFile else { return false }
        let block = try handle.read(upToCount: Self.feedBytes)
        guard !block.isEmpty else {
            endOfFile = true
            return false
        }
        if taken > 0 {
            pending.removeFirst(taken)
            taken = 0
        }
        try block.withUnsafeBytes { try decoder.decode($0, into: &pending) }
        return true
    }

    func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int {
        while (pending.count - taken) / channels < maxFrames, try feed() {}
        let frames = min(maxFrames, (pending.count - taken) / channels)
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: pending[taken..<taken + frames * channels])
        taken += frames * channels
        return frames
    }
}
