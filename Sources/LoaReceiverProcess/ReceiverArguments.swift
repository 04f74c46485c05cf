public import LoaLogging

/// The command line of `loa-receiver`, read without a parsing package (the device's binary
/// links as little as it can, docs/receiver-devices.md):
///
///     loa-receiver --config FILE [--log-format text|json]
///
/// `-c FILE`, `--config=FILE` and `--log-format=json` are taken too.
public struct ReceiverArguments: Equatable, Sendable {
    public var config: String
    public var logFormat: LogFormat

    public init(config: String, logFormat: LogFormat = .text) {
        self.config = config
        self.logFormat = logFormat
    }

    public static let usage = """
        Chạy thiết bị thu ở thôn (run a hamlet receiver: loudspeaker and notice board).

        USAGE: loa-receiver --config <config> [--log-format <log-format>]

        OPTIONS:
          -c, --config <config>   Receiver settings file (JSON)
          --log-format <log-format>
                                  \(LogFormat.help) (default: text)
          -h, --help              Show this help.
        """

    /// What the command line asks.
    public enum Request: Equatable, Sendable {
        case run(ReceiverArguments)
        case help
    }

    /// Reads `arguments` (without the program's name).
    /// - Throws: ``ReceiverArgumentsError`` naming the argument and what would be right.
    public static func parse(_ arguments: [String]) throws(ReceiverArgumentsError) -> Request {
        var config: String?
        var logFormat = LogFormat.text
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let (name, attached) = split(argument)
            func value() throws(ReceiverArgumentsError) -> String {
                if let attached { return attached }
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { throw .missingValue(name) }
                return next
            }
            switch name {
            case "-h", "--help":
                return .help
            case "-c", "--config":
                config = try value()
            case "--log-format":
                let text = try value()
                guard let format = LogFormat(rawValue: text) else { throw .badValue(name, text, expected: "text or json") }
                logFormat = format
            default:
                throw .unknown(argument)
            }
        }
        guard let config, !config.isEmpty else { throw .missingValue("--config") }
        return .run(ReceiverArguments(config: config, logFormat: logFormat))
    }

    /// `--name=value` as its name and value; anything else as it is.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}

/// Why a `loa-receiver` command line was refused.
public enum ReceiverArgumentsError: Error, Equatable, CustomStringConvertible {
    case missingValue(String)
    case badValue(String, String, expected: String)
    case unknown(String)

    public var description: String {
        switch self {
        case .missingValue(let name): "thiếu giá trị cho \(name) (\(name) needs a value)"
        case .badValue(let name, let value, let expected):
            "\(name) không nhận '\(value)' (\(name) takes \(expected), not '\(value)')"
        case .unknown(let argument): "không hiểu tham số '\(argument)' (unknown argument '\(argument)')"
        }
    }
}
