import Foundation
import LoaProtocol

/// The controller's relay (`relay` in its settings, docs/relay.md): the Icecast server it
/// feeds, one ffmpeg pull per relay window, and how receivers reach it.
public struct RelaySettings: Sendable, Codable, Equatable {
    /// Icecast's address as the controller reaches it to send a stream, e.g. `http://127.0.0.1:8000`.
    public var icecastURL: String
    /// A file (mode 0600) holding Icecast's source password (`<source-password>`).
    public var sourcePasswordFile: String
    /// Icecast's address as receivers reach it; `icecastURL` when absent.
    public var listenURL: String?
    /// The ffmpeg executable; `/usr/bin/ffmpeg` when absent.
    public var ffmpeg: String?
    /// The re-served stream's bit rate, kbit/s (MP3, mono), 32–64; 48 when absent.
    public var bitrateKbps: Int?
    /// How long before a window the pull starts, in seconds (1–300); 20 when absent.
    public var leadSeconds: Double?
    /// How long a pull may go without progress before it is restarted on the next
    /// source, in seconds (2–60); 5 when absent.
    public var stallSeconds: Double?

    public init(
        icecastURL: String, sourcePasswordFile: String, listenURL: String? = nil, ffmpeg: String? = nil,
        bitrateKbps: Int? = nil, leadSeconds: Double? = nil, stallSeconds: Double? = nil
    ) {
        (self.icecastURL, self.sourcePasswordFile, self.listenURL, self.ffmpeg) = (icecastURL, sourcePasswordFile, listenURL, ffmpeg)
        (self.bitrateKbps, self.leadSeconds, self.stallSeconds) = (bitrateKbps, leadSeconds, stallSeconds)
    }

    var ffmpegPath: String { ffmpeg ?? "/usr/bin/ffmpeg" }
    var bitrate: Int { bitrateKbps ?? 48 }
    var lead: TimeInterval { leadSeconds ?? 20 }
    var stall: TimeInterval { stallSeconds ?? 5 }
    /// Where receivers play a mount from.
    var receiverBaseURL: String { (listenURL ?? icecastURL).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }

    /// Icecast's source password, read from its file.
    func sourcePassword() throws -> String {
        do {
            return try String(contentsOfFile: sourcePasswordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ConfigurationError(path: sourcePasswordFile, problems: ["relay.sourcePasswordFile cannot be read: \(error.localizedDescription)"])
        }
    }

    /// What is wrong, each naming its field.
    var problems: [String] {
        var problems: [String] = []
        for (field, value) in [("icecastURL", icecastURL), ("listenURL", listenURL)] {
            guard let value else { continue }
            if let url = URL(string: value), url.scheme == "http", url.host != nil {} else {
                problems.append("relay.\(field) '\(value)' is not an http:// URL with a host; e.g. http://127.0.0.1:8000")
            }
        }
        if (try? sourcePassword())?.isEmpty ?? true {
            problems.append("relay.sourcePasswordFile '\(sourcePasswordFile)' cannot be read or is empty; write Icecast's source password there (mode 0600)")
        }
        if !FileManager.default.isExecutableFile(atPath: ffmpegPath) {
            problems.append("relay.ffmpeg '\(ffmpegPath)' is not an executable; install ffmpeg (apt-get install ffmpeg) or give its path")
        }
        if !(32...64).contains(bitrate) { problems.append("relay.bitrateKbps \(bitrate): give 32–64 (4G receivers follow a low bit rate)") }
        if !(1...300).contains(lead) { problems.append("relay.leadSeconds \(lead): give 1–300") }
        if !(2...60).contains(stall) { problems.append("relay.stallSeconds \(stall): give 2–60") }
        return problems
    }
}
