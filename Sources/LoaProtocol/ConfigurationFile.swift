#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaFiles

/// A settings file that cannot be used, with every problem found in it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var path: String
    public var problems: [String]

    public init(path: String, problems: [String]) {
        self.path = path
        self.problems = problems
    }

    public var description: String {
        "\(path): " + (problems.count == 1 ? problems[0] : "\n  - " + problems.joined(separator: "\n  - "))
    }
}

/// Reading JSON settings files with errors that name the file and field.
public enum ConfigurationFile {
    /// Decodes the JSON file at `path`.
    public static func decode<T: Decodable>(path: String) throws -> T {
        let data: Data
        do {
            data = try ReadOnlyFile.contents(atPath: path)
        } catch {
            throw ConfigurationError(path: path, problems: ["cannot be read: \(error.reason)"])
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError(path: path, problems: [describe(error)])
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the file" : String(path.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = field(context)
            return "missing field \(parent == "the file" ? "" : parent + ".")\(key.stringValue)"
        case .typeMismatch(let type, let context):
            return "\(field(context)) should be a \(type)"
        case .valueNotFound(_, let context):
            return "\(field(context)) is missing a value"
        case .dataCorrupted(let context):
            return "\(field(context)): \(context.underlyingError.map { "\($0)" } ?? context.debugDescription) (is it valid JSON?)"
        @unknown default:
            return "\(error)"
        }
    }
}
