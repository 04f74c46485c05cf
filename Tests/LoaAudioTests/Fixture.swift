import Foundation
import LoaAudio

/// Test fixtures bundled from Tests/LoaAudioTests/Fixtures, and the shipped Audio/ folder.
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The URL of a bundled fixture, e.g. `url("tone-16bit-mono.wav")`.
    static func url(_ name: String) throws -> URL {
        let file = name as NSString
        guard let url = Bundle.module.url(
            forResource: file.deletingPathExtension, withExtension: file.pathExtension, subdirectory: "Fixtures")
        else { throw Missing(description: "fixture \(name) is not in the test bundle") }
        return url
    }

    /// The bytes of a bundled fixture.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }

    /// A fixture decoded by ``AudioDecoder``.
    static func audio(_ name: String) throws -> PCMAudio {
        try AudioDecoder.decode(fileAt: url(name))
    }

    /// A file of the repository's top-level Audio/ folder.
    static func shipped(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Audio").appendingPathComponent(name)
    }
}
