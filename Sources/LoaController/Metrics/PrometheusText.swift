import Foundation

/// Writes Prometheus' text exposition format (version 0.0.4): for each metric a
/// `# HELP` and `# TYPE` line, then one sample per line, `name{label="value"} number`.
/// See https://prometheus.io/docs/instrumenting/exposition_formats/.
struct PrometheusText {
    /// The content type Prometheus expects for this format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    enum Kind: String {
        case counter, gauge
    }

    private(set) var text = ""

    /// Adds a metric with its samples: label sets (empty for none) and values.
    mutating func add(_ name: String, _ kind: Kind, help: String, samples: [([(String, String)], Double)]) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for (labels, value) in samples {
            let labelText = labels.isEmpty
                ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escapedLabel($0.1))\"" }.joined(separator: ",") + "}"
            text += "\(name)\(labelText) \(Self.number(value))\n"
        }
    }

    /// Adds a metric with one unlabelled sample.
    mutating func add(_ name: String, _ kind: Kind, help: String, value: Double) {
        add(name, kind, help: help, samples: [([], value)])
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// HELP text: backslash and line feed escaped.
    private static func escapedHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Label values: backslash, double quote and line feed escaped.
    private static func escapedLabel(_ text: String) -> String {
        escapedHelp(text).replacingOccurrences(of: "\"", with: "\\\"")
    }
}
