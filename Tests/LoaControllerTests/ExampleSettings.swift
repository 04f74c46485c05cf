import Foundation
import LoaController
import LoaHarness
import Testing

/// An example settings file of `deploy/examples/`, loaded with one section changed.
enum ExampleSettings {
    /// The file `name` of `deploy/examples/`.
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/examples/\(name)")
    }

    /// What `ControllerConfiguration.load` says of `example` with its `section` changed by
    /// `edit`: "" when it loads.
    static func problems(_ example: URL, section: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        var part = try #require(json[section] as? [String: Any])
        edit(&part)
        json[section] = part
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path("controller.json")
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        do {
            _ = try ControllerConfiguration.load(from: file.path)
            return ""
        } catch {
            return "\(error)"
        }
    }
}
