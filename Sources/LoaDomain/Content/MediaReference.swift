/// Audio stored by the controller, addressed by the SHA-256 of its bytes.
public struct MediaReference: Sendable, Equatable, Codable, Hashable {
    /// Lowercase hex SHA-256 of the file's bytes; receivers check it before playing.
    public var sha256: String
    /// Size of the file in bytes.
    public var bytes: Int
    /// `audio/wav` or `audio/mpeg`.
    public var contentType: String
    /// Length of the decoded audio in milliseconds.
    public var durationMs: Int
    /// The gain in dB that brings the audio to Loa's loudness (−16 LUFS, peaks limited to
    /// −1 dBFS), measured once by the controller from the whole file and carried in the
    /// items it sends, so that a receiver levels it as it plays, a buffer at a time.
    /// Absent from programmes and uploads (what is approved is the audio itself), and
    /// from the items of older controllers: a receiver then measures it.
    public var gainDb: Double?
    /// The file's chunk hashes' root, so that a receiver may play it while it downloads,
    /// each chunk checked as it arrives. Carried in items, like ``gainDb``; absent from
    /// programmes, uploads and the items of older controllers (the receiver then waits
    /// for the whole file).
    public var chunks: MediaChunks?

    public init(sha256: String, bytes: Int, contentType: String, durationMs: Int, gainDb: Double? = nil, chunks: MediaChunks? = nil) {
        self.gainDb = gainDb
        self.chunks = chunks
        self.sha256 = sha256
        self.bytes = bytes
        self.contentType = contentType
        self.durationMs = durationMs
    }

    /// True when `value` looks like a SHA-256 in lowercase hex.
    public static func isSHA256(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
