import Foundation
import LoaController
import LoaHarness
import Testing

/// The `relay` block of the controller's settings, and the ffmpeg command a pull runs.
@Suite("Relay settings and pulls")
struct RelaySettingsTests {
    static let example = ExampleSettings.url("controller-relay.json")

    func problems(_ edit: (inout [String: Any]) -> Void) throws -> String {
        try ExampleSettings.problems(Self.example, section: "relay", edit)
    }

    @Test("the example loads once its source password can be read; each mistake is named with its field")
    func mistakes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let password = directory.path("icecast-source.password")
        try Data("b9f0c3e2a1".utf8).write(to: password)
        #expect(try problems { $0["sourcePasswordFile"] = password.path } == "")
        #expect(try problems { _ in }.contains("relay.sourcePasswordFile '/etc/loa/icecast-source.password' cannot be read"))
        let refusal = try problems { relay in
            relay["sourcePasswordFile"] = password.path
            relay["icecastURL"] = "icecast.local:8000"
            relay["bitrateKbps"] = 128
            relay["stallSeconds"] = 1
            relay["ffmpeg"] = "/nowhere/ffmpeg"
        }
        for words in ["relay.icecastURL 'icecast.local:8000' is not an http:// URL", "relay.bitrateKbps 128: give 32–64",
            "relay.stallSeconds 1.0: give 2–60", "relay.ffmpeg '/nowhere/ffmpeg' is not an executable"]
        {
            #expect(refusal.contains(words), "\(refusal)")
        }
    }

    @Test("an Icecast mount is named by its extension so a pull joined mid-frame starts at once; HLS is probed")
    func formatHints() {
        #expect(RelayInputFormat.ffmpegArguments(for: "http://radio.tinh.gov.vn:8000/fm.mp3") == ["-f", "mp3"])
        #expect(RelayInputFormat.ffmpegArguments(for: "https://radio.example/live.AAC?x=1") == ["-f", "aac"])
        #expect(RelayInputFormat.ffmpegArguments(for: "https://str.vov.gov.vn/vov1/playlist.m3u8") == [])
    }
}
