import Foundation
import LoaProtocol

/// What `province`'s fleet workers need to know, written by the benchmark to a JSON
/// file they read: each commune's broker, the key its documents are signed with, the
/// secret its devices' media tokens are made with, its hamlets and where its media is
/// served. Receiver `i` belongs to commune `i / receiversPerCommune`.
struct ProvincePlan: Codable {
    struct Commune: Codable {
        var site: String
        var brokerPort: Int
        /// The commune's verifier key, vkey text.
        var verifierKey: String
        /// The commune's media secret, base64 (`media.secret` of its data folder).
        var mediaSecret: String
        var hamlets: [String]
        /// Its controllers' HTTP addresses; receivers are spread over them.
        var mediaBaseURLs: [String]
    }

    var communes: [Commune]
    var receiversPerCommune: Int
    /// The prefix of the emergency's item ids (`tinh-{emergency id}@`).
    var itemPrefix: String

    /// Receiver `index`: its commune, hamlet, device id and media base URL.
    func receiver(_ index: Int) -> (commune: Commune, hamlet: String, device: String, mediaBaseURL: String) {
        let commune = communes[index / receiversPerCommune]
        let within = index % receiversPerCommune
        return (
            commune, commune.hamlets[within % commune.hamlets.count], Self.deviceID(index),
            commune.mediaBaseURLs[(index / commune.hamlets.count) % commune.mediaBaseURLs.count])
    }

    static func deviceID(_ index: Int) -> String { String(format: "sim-%05d", index) }

    static func index(ofDevice device: String) -> Int? { device.hasPrefix("sim-") ? Int(device.dropFirst(4)) : nil }

    static func siteID(_ index: Int) -> String { String(format: "xa-%03d", index) }

    static func hamletID(commune: Int, hamlet: Int) -> String { String(format: "thon-%03d-%d", commune, hamlet) }

    /// The raw phase's topics: the same bytes down per hamlet, the same events up per commune.
    static func rawTopic(site: String, hamlet: String) -> String { "loa-raw/\(site)/\(hamlet)" }
    static func rawEventsTopic(site: String) -> String { "loa-raw/\(site)/events" }

    func write(to url: URL) throws { try JSONEncoder().encode(self).write(to: url) }

    static func read(from path: String) throws -> ProvincePlan {
        try JSONDecoder().decode(ProvincePlan.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
