import Foundation

/// Builds WAV bytes in memory, byte by byte, so tests know every sample exactly.
struct WAVBuilder {
    var formatTag: UInt16 = 1
    var channels: UInt16 = 1
    var sampleRate: UInt32 = 8000
    var bitsPerSample: UInt16 = 16
    /// When set, the fmt chunk is WAVE_FORMAT_EXTENSIBLE with this sub-format tag.
    var extensibleSubFormat: UInt16?
    /// Chunks put before fmt (id, body), e.g. a LIST chunk of odd size.
    var leadingChunks: [(String, [UInt8])] = []
    /// Overrides the size written in the data chunk header.
    var declaredDataSize: UInt32?

    func bytes(data: [UInt8]) -> Data {
        var fmt: [UInt8] = []
        let bytesPerSample = (Int(bitsPerSample) + 7) / 8
        let blockAlign = UInt16(Int(channels) * bytesPerSample)
        fmt += le(extensibleSubFormat == nil ? formatTag : 0xFFFE)
        fmt += le(channels) + le(sampleRate) + le(sampleRate * UInt32(blockAlign)) + le(blockAlign) + le(bitsPerSample)
        if let sub = extensibleSubFormat {
            fmt += le(UInt16(22)) + le(bitsPerSample) + le(UInt32(channels == 1 ? 0x4 : 0x3))
            fmt += le(sub) + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        }
        var body: [UInt8] = Array("WAVE".utf8)
        for (id, chunk) in leadingChunks {
            body += Array(id.utf8) + le(UInt32(chunk.count)) + chunk + (chunk.count % 2 == 1 ? [0] : [])
        }
        body += Array("fmt ".utf8) + le(UInt32(fmt.count)) + fmt
        body += Array("data".utf8) + le(declaredDataSize ?? UInt32(data.count)) + data
        return Data(Array("RIFF".utf8) + le(UInt32(body.count)) + body)
    }

    private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
