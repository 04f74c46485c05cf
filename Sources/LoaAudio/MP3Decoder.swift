import CMPG123
import Foundation

/// Decodes MPEG audio (MP3) with libmpg123 to 16-bit ``PCMAudio``.
///
/// Gapless decoding is on: with a LAME/Xing tag the encoder delay and padding are
/// removed, so a LAME-made MP3 decodes to exactly the frame count of its source.
enum MP3Decoder {
    static func decode(_ data: Data) throws -> PCMAudio {
        var error: Int32 = MPG123_OK.rawValue
        guard let handle = mpg123_new(nil, &error) else {
            throw AudioDecodingError("MP3: cannot start the decoder (mpg123_new: \(message(error)))")
        }
        defer { mpg123_delete(handle) }

        try check(mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), Int(MPG123_QUIET.rawValue | MPG123_GAPLESS.rawValue), 0), handle, "mpg123_param")
        // Ask for signed 16-bit at whatever rate and channel count the stream has.
        try check(mpg123_format_none(handle), handle, "mpg123_format_none")
        try check(mpg123_format2(handle, 0, Int32(MPG123_MONO.rawValue | MPG123_STEREO.rawValue), Int32(MPG123_ENC_SIGNED_16.rawValue)), handle, "mpg123_format2")
        try check(mpg123_open_feed(handle), handle, "mpg123_open_feed")
        defer { mpg123_close(handle) }

        try data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return }
            try check(mpg123_feed(handle, base, raw.count), handle, "mpg123_feed")
        }

        var samples: [Int16] = []
        samples.reserveCapacity(data.count * 6)  // ~12:1 compression, mono 16-bit
        var rate = 0
        var channels = 0
        var buffer = [Int16](repeating: 0, count: 16_384)
        decoding: while true {
            var done = 0
            let status = buffer.withUnsafeMutableBytes { out in
                mpg123_read(handle, out.baseAddress, out.count, &done)
            }
            if done > 0 {
                samples.append(contentsOf: buffer[0..<done / 2])
            }
            switch status {
            case MPG123_OK.rawValue:
                continue
            case MPG123_NEW_FORMAT.rawValue:
                var newRate = 0
                var newChannels: Int32 = 0
                var encoding: Int32 = 0
                try check(mpg123_getformat(handle, &newRate, &newChannels, &encoding), handle, "mpg123_getformat")
                if rate != 0, newRate != rate || Int(newChannels) != channels {
                    throw AudioDecodingError("MP3 changes format mid-stream (\(rate) Hz, \(channels) ch to \(newRate) Hz, \(newChannels) ch); re-encode it as one MP3 with a single rate and channel count")
                }
                rate = newRate
                channels = Int(newChannels)
            case MPG123_NEED_MORE.rawValue, MPG123_DONE.rawValue:
                break decoding  // all input used
            default:
                throw AudioDecodingError("MP3 stream is damaged: \(String(cString: mpg123_strerror(handle))); re-encode or copy the file again")
            }
        }
        guard rate > 0, channels > 0 else {
            throw AudioDecodingError("no MPEG audio frames found in what looks like an MP3 (ID3 tag or frame sync at the start); the file is empty or damaged")
        }
        return PCMAudio(sampleRate: rate, channels: channels, samples: samples)
    }

    private static func check(_ result: Int32, _ handle: OpaquePointer, _ call: String) throws {
        guard result == MPG123_OK.rawValue || result == MPG123_NEED_MORE.rawValue else {
            throw AudioDecodingError("MP3: \(call) failed: \(String(cString: mpg123_strerror(handle)))")
        }
    }

    private static func message(_ code: Int32) -> String {
        String(cString: mpg123_plain_strerror(code))
    }
}
