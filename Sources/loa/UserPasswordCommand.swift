import ArgumentParser
import Foundation
import LoaStore

/// `loa user password`: sets or replaces a user's console password; their sessions end.
struct UserPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Đặt mật khẩu (set or replace a user's console password; their open sessions end).")

    @OptionGroup var database: ControllerDatabase
    @Argument(help: "User name")
    var name: String
    @Option(help: "A file holding the password (at least 12 characters; the first line is read)")
    var passwordFile: String

    func run() async throws {
        let password = try PasswordFile.read(passwordFile)
        try await database.open(try database.settings()).setPassword(password, forUser: name, at: Date())
        print("Đã đặt mật khẩu / password set: \(name)")
    }
}

/// A password handed to the CLI in a file (never on the command line, where `ps` shows it).
enum PasswordFile {
    /// The file's first line, without its line ending.
    static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--password-file \(path): cannot read it as UTF-8 text")
        }
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}
