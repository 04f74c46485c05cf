import CMPG123

/// libmpg123 in feed mode: MPEG audio bytes go in as they arrive, 16-bit samples come
/// out as soon as whole frames are in. Used for a file (all bytes at once, ``MP3Decoder``)
/// and for a live stream (a chunk at a time). Not thread-safe: one thread feeds and reads.
///
/// Gapless decoding is on: with a LAME/Xing tag the encoder delay and padding are removed.
final class MP3StreamDecoder {
    private let handle: OpaquePointer
    /// The stream's format, known once the first frame is decoded.
    private(set) var sampleRate = 0
    private(set) var channels = 0
    private var buffer = [Int16](repeating: 0, count: 16_384)

    init() throws {
        var error: Int32 = MPG123_OK.rawValue
        guard let handle = mpg123_new(nil, &error) else {
            throw AudioDecodingError("MP3: cannot start the decoder (mpg123_new: \(String(cString: mpg123_plain_strerror(error))))")
        }
        self.handle = handle
        do {
            try check(mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), Int(MPG123_QUIET.rawValue | MPG123_GAPLESS.rawValue), 0), "mpg123_param")
            // Signed 16-bit at whatever rate and channel count the stream has.
            try check(mpg123_format_none(handle), "mpg123_format_none")
            try check(mpg123_format2(handle, 0, Int32(MPG123_MONO.rawValue | MPG123_STEREO.rawValue), Int32(MPG123_ENC_SIGNED_16.rawValue)), "mpg123_format2")
            try check(mpg123_open_feed(handle), "mpg123_open_feed")
        } catch {
            mpg123_delete(handle)
            throw error
        }
    }

    deinit {
        mpg123_close(handle)
        mpg123_delete(handle)
    }

    /// Takes `bytes` and appends every sample they complete to `samples`.
    /// - Throws: ``AudioDecodingError`` when the stream is damaged or changes format.
    func decode(_ bytes: UnsafeRawBufferPointer, into samples: inout [Int16]) throws {
        if let base = bytes.bindMemory(to: UInt8.self).baseAddress, !bytes.isEmpty {
            try check(mpg123_feed(handle, base, bytes.count), "mpg123_feed")
        }
        while true {
            var done = 0
            let status = buffer.withUnsafeMutableBytes { out in mpg123_read(handle, out.baseAddress, out.count, &done) }
            if done > 0 { samples.append(contentsOf: buffer[0..<done / 2]) }
            switch status {
            case MPG123_OK.rawValue:
                continue
            case MPG123_NEW_FORMAT.rawValue:
                var rate = 0
                var count: Int32 = 0
                var encoding: Int32 = 0
                try check(mpg123_getformat(handle, &rate, &count, &encoding), "mpg123_getformat")
                if sampleRate != 0, rate != sampleRate || Int(count) != channels {
                    throw AudioDecodingError("MP3 changes format mid-stream (\(sampleRate) Hz, \(channels) ch to \(rate) Hz, \(count) ch); re-encode it as one MP3 with a single rate and channel count")
                }
                sampleRate = rate
                channels = Int(count)
            case MPG123_NEED_MORE.rawValue, MPG123_DONE.rawValue:
                return
            default:
                throw AudioDecodingError("MP3 stream is damaged: \(String(cString: mpg123_strerror(handle))); re-encode or copy the file again")
            }
        }
    }

    private func check(_ result: Int32, _ call: String) throws {
        guard result == MPG123_OK.rawValue || result == MPG123_NEED_MORE.rawValue else {
            throw AudioDecodingError("MP3: \(call) failed: \(String(cString: mpg123_strerror(handle)))")
        }
    }
}
