#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
public import LoaFiles

/// A file whose bytes are still arriving (a download checked chunk by chunk), readable
/// from its start up to a mark that only moves forward: nothing past the mark is read.
public protocol ArrivingFile: Sendable {
    /// The bytes the file will have when whole.
    var length: Int { get }
    /// Bytes from the start that may be read now.
    var readableBytes: Int { get }
    /// Why no more will arrive, once it is so (the download was given up).
    var failure: String? { get }
    /// Opens the file for reading where it is now (the download's partial file, or the
    /// finished file once it was put in place).
    func open() throws -> ReadOnlyFile
}

/// Thrown by a reader whose next bytes have not arrived yet: nothing was consumed, and the
/// same read may be tried again later. A player waits and tries again; ALSA meanwhile
/// underruns and is recovered as on any other stall.
public struct AudioNotYetArrived: Error, CustomStringConvertible {
    /// Where the reader waits: the first byte not yet readable.
    public let offset: Int
    public var description: String { "the audio's bytes from \(offset) on have not arrived yet" }
}

/// Where an audio file's bytes are read from: a file on disk, or one still arriving.
protocol AudioBytes: AnyObject {
    /// Up to `count` bytes from the current offset (fewer only at the end; empty there).
    /// - Throws: ``AudioNotYetArrived`` (nothing consumed) or the file's read error.
    func read(upToCount count: Int) throws -> Data
    func seek(toOffset offset: Int) throws
    func offset() throws -> Int
    /// The file's length when whole.
    func length() throws -> Int
}

/// The bytes of a file on disk.
final class FileBytes: AudioBytes {
    private let file: ReadOnlyFile

    init(_ file: ReadOnlyFile) { self.file = file }

    func read(upToCount count: Int) throws -> Data { try file.read(upToCount: count) }
    func seek(toOffset offset: Int) throws { file.seek(toOffset: offset) }
    func offset() throws -> Int { file.offset }
    func length() throws -> Int { try file.size() }
}

/// The bytes of an ``ArrivingFile``: a read past its mark waits a moment for it, then
/// throws ``AudioNotYetArrived``, having consumed nothing.
final class ArrivingBytes: AudioBytes {
    private let file: any ArrivingFile
    private let handle: ReadOnlyFile
    private var position = 0
    /// How long one read waits for its bytes before it gives the player back control.
    static let patience: TimeInterval = 0.020

    init(_ file: any ArrivingFile) throws {
        self.file = file
        handle = try file.open()
    }

    func read(upToCount count: Int) throws -> Data {
        let wanted = min(count, file.length - position)
        guard wanted > 0 else { return Data() }
        let deadline = Date().addingTimeInterval(Self.patience)
        while file.readableBytes < position + wanted {
            if let failure = file.failure {
                throw AudioDecodingError("the audio stopped arriving at byte \(file.readableBytes) of \(file.length): \(failure)")
            }
            guard Date() < deadline else { throw AudioNotYetArrived(offset: file.readableBytes) }
            usleep(2_000)
        }
        handle.seek(toOffset: position)
        let data = try handle.read(upToCount: wanted)
        position += data.count
        return data
    }

    func seek(toOffset offset: Int) throws { position = offset }
    func offset() throws -> Int { position }
    func length() throws -> Int { file.length }
}
