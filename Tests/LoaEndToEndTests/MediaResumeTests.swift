import Foundation
import LoaAudio
import LoaController
import LoaDomain
import LoaHarness
import LoaReceiver
import LoaStore
import Testing

/// A hamlet's 4G link breaks mid-download: over the controller's real HTTP server, the
/// next attempt asks for the rest (`Range`) and the file is whole, verified and equal.
@Suite("Media download resumed over HTTP")
struct MediaResumeTests {
    @Test("cut twice on a throttled link, the download resumes with Range each time and never fetches a byte twice")
    func resumesOverHTTP() async throws {
        let commune = try await Commune()
        let folder = try TemporaryDirectory()
        defer {
            folder.remove()
        }
        let wav = WAVFile.bytes(of: halfScaleTone(seconds: 10))  // 320 KB
        let media = try await commune.controller.media.addAudio(wav)
        let proxy = try DelayingProxy(
            forwardingTo: commune.httpPort, oneWayDelayMs: 20...60, downlinkBytesPerSecond: 1_000_000,
            cutConnectionsAfterBytes: [100_000, 100_000])
        defer { proxy.stop() }
        let device = "loa-thon-a-1"
        let cache = try MediaCache(
            directory: folder.url, downloader: HTTPMediaDownloader(
                baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, device: device,
                token: commune.controller.mediaAccess.token(for: device)))

        var breaks: [String] = []
        var file: URL?
        while file == nil, breaks.count < 5 {
            do {
                file = try await cache.file(of: media)
            } catch MediaError.download(_, let reason) {
                breaks.append(reason)
            }
        }
        #expect(breaks.count == 2, "\(breaks)")
        #expect(try Data(contentsOf: try #require(file)) == wav)
        // Three answers' heads beyond the file's bytes: nothing was fetched twice.
        #expect(proxy.downlinkBytes >= wav.count && proxy.downlinkBytes < wav.count + 3 * 1024, "\(proxy.downlinkBytes) bytes for \(wav.count)")
        // The items the controller sends carry the levelling gain it measured at upload.
        let gain = try #require(try await commune.controller.store.levellingGain(sha256: media.sha256))
        #expect(gain == LoudnessNormalisation.loudspeakers.levellingGain(for: try AudioDecoder.decode(wav)))
        await commune.stop()
    }

    @Test("a device without the right token gets nothing, and nothing is kept")
    func wrongTokenGetsNothing() async throws {
        let commune = try await Commune()
        let folder = try TemporaryDirectory()
        let wav = WAVFile.bytes(of: halfScaleTone(seconds: 1))
        let media = try await commune.controller.media.addAudio(wav)
        let cache = try MediaCache(
            directory: folder.url, downloader: HTTPMediaDownloader(
                baseURL: URL(string: "http://127.0.0.1:\(commune.httpPort)")!, device: "loa-thon-a-1", token: "sai"))
        let error = await #expect(throws: MediaError.self) { try await cache.file(of: media) }
        #expect(error?.description.contains("HTTP 401") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
        folder.remove()
        await commune.stop()
    }
}
