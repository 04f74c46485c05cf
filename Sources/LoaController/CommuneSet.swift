import Foundation
import LoaDomain

/// The communes one controller process serves, checked together: each needs its own
/// site, data folder, HTTP port and broker client id, or two would overwrite each
/// other's files, fail to bind, or push each other off the broker.
enum CommuneSet {
    /// What clashes, each naming the communes; empty when they can run side by side.
    static func problems(_ configurations: [ControllerConfiguration]) -> [String] {
        var problems: [String] = []
        func clashes(_ field: String, _ key: (ControllerConfiguration) -> String?) {
            var seen: [String: String] = [:]
            for configuration in configurations {
                guard let value = key(configuration) else { continue }
                if let other = seen[value] {
                    problems.append("\(field) '\(value)' is given to both \(other) and \(configuration.site.id); each commune needs its own")
                } else {
                    seen[value] = configuration.site.id
                }
            }
        }
        clashes("site.id") { $0.site.id }
        clashes("dataDirectory") { URL(fileURLWithPath: $0.dataDirectory).standardizedFileURL.path }
        clashes("http.port") { $0.http.port == 0 ? nil : "\($0.http.port)" }
        clashes("broker.clientID") { "\($0.broker.clientID)@\($0.broker.host):\($0.broker.port)" }
        return problems
    }
}
