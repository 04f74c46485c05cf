import Foundation
import LoaAudio
import Testing

@Suite("MP3 decoding")
struct MP3DecodingTests {
    @Test func lameMP3DecodesGaplessToItsSourceFramesAndRate() throws {
        let mp3 = try Fixture.audio("sweep-22050-mono.mp3")
        let wav = try Fixture.audio("sweep-22050-mono.wav")
        #expect(mp3.sampleRate == 22050)
        #expect(mp3.channels == 1)
        #expect(mp3.frameCount == 22050)
        #expect(mp3.frameCount == wav.frameCount)
        // Aligned (encoder delay removed) and close: correlation at lag 0 near 1.
        let similarity = correlation(mp3.samples, wav.samples)
        #expect(similarity > 0.95, "correlation \(similarity)")
        #expect(relativeRMSDifference(mp3.samples, wav.samples) < 0.3)
    }

    @Test func theShippedNoticeMP3MatchesItsWAV() throws {
        let mp3 = try AudioDecoder.decode(fileAt: Fixture.shipped("thong-bao-mau.mp3"))
        let wav = try AudioDecoder.decode(fileAt: Fixture.shipped("thong-bao-mau.wav"))
        #expect(mp3.sampleRate == wav.sampleRate)
        #expect(mp3.channels == wav.channels)
        #expect(mp3.frameCount == wav.frameCount)
        #expect(wav.duration < .seconds(8))
        #expect(correlation(mp3.samples, wav.samples) > 0.9)
    }

    @Test func theShippedChimeIsAShortMonoWAV() throws {
        let chime = try AudioDecoder.decode(fileAt: Fixture.shipped("chime.wav"))
        #expect(chime.sampleRate == 22050)
        #expect(chime.channels == 1)
        #expect(chime.duration == .milliseconds(1500))
        #expect(chime.samples.contains { abs(Int($0)) > 10_000 }, "the chime is audible, not silence")
    }
}

/// Pearson correlation of two sample sequences over their common length.
func correlation(_ a: [Int16], _ b: [Int16]) -> Double {
    let n = min(a.count, b.count)
    guard n > 0 else { return 0 }
    let x = a.prefix(n).map(Double.init), y = b.prefix(n).map(Double.init)
    let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in 0..<n {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// RMS of the difference, relative to the RMS of `reference`.
func relativeRMSDifference(_ samples: [Int16], _ reference: [Int16]) -> Double {
    let n = min(samples.count, reference.count)
    var diff = 0.0, power = 0.0
    for i in 0..<n {
        let d = Double(samples[i]) - Double(reference[i])
        diff += d * d
        power += Double(reference[i]) * Double(reference[i])
    }
    return power > 0 ? (diff / power).squareRoot() : .infinity
}
