import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReports
import LoaStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `loa user`: console and API users, with roles and their own tokens. Works on
/// the controller's database directly (as `loa log` does), running or not.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Người dùng và vai trò (console and API users, their roles and tokens).",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserDisableCommand.self, UserPasswordCommand.self, UserAuditCommand.self],
        defaultSubcommand: UserListCommand.self)
}

/// The controller's database, named by its settings file.
struct ControllerDatabase: ParsableArguments {
    @Option(name: .shortAndLong, help: "Controller settings file (names the data folder)")
    var config: String

    func settings() throws -> ControllerConfiguration { try ControllerConfiguration.load(from: config) }

    /// Opens the store with the controller's signing key (made if the controller never ran).
    func open(_ settings: ControllerConfiguration) throws -> SQLiteStore {
        let data = URL(fileURLWithPath: settings.dataDirectory)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: settings.site.id), at: data.appendingPathComponent("controller.key"))
        return try SQLiteStore(path: data.appendingPathComponent("loa.sqlite").path, signingKey: key)
    }
}

/// `loa user add`: a user with roles and a fresh token, written to a file only its owner can read.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Thêm người dùng (add a user with roles and a new API token).")

    @OptionGroup var database: ControllerDatabase
    @Argument(help: "User name: lowercase letters, digits and '-', e.g. can-bo-vh")
    var name: String
    @Option(help: "Role; repeat for several: \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", "))")
    var role: [String]
    @Option(help: "The person's name as written, e.g. \"Nguyễn Văn A\"")
    var displayName: String
    @Option(help: "Where to write the token (a new file, mode 0600)")
    var tokenOut: String?
    @Flag(help: "Also print the token (it is shown only now; the controller keeps its hash)")
    var printToken = false
    @Option(help: "A file holding the console password (at least 12 characters; the first line is read)")
    var passwordFile: String?

    func validate() throws {
        for role in role where ConsoleRole(rawValue: role) == nil {
            throw ValidationError("--role '\(role)' is not one of: \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !role.isEmpty else { throw ValidationError("give at least one --role") }
        guard tokenOut != nil || printToken || passwordFile != nil else {
            throw ValidationError(
                "give --token-out FILE (or --print-token): the token is shown only once; or --password-file for a console-only user")
        }
    }

    func run() async throws {
        let settings = try database.settings()
        let password = try passwordFile.map(PasswordFile.read)
        let file = try tokenOut.map(TokenFile.create)
        let added: (user: ConsoleUser, token: String)
        do {
            added = try await database.open(settings).addUser(
                name: name, displayName: displayName, roles: Set(role.compactMap(ConsoleRole.init(rawValue:))),
                password: password, at: Date())
        } catch {
            file?.discard()
            throw error
        }
        try file?.write(added.token)
        let roles = added.user.sortedRoles.map(\.rawValue).joined(separator: ", ")
        print("Đã thêm người dùng / user added: \(added.user.name) (\(added.user.displayName)), vai trò / roles: \(roles)")
        if let tokenOut { print("  mã truy cập ghi vào / token written to: \(tokenOut) (mode 0600)") }
        if password != nil { print("  đã đặt mật khẩu / console password set (PBKDF2-SHA512)") }
        if printToken { print(added.token) }
    }
}

/// `loa user list` (the default): every user, disabled ones too.
struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Danh sách người dùng (list users and their roles).")

    @OptionGroup var database: ControllerDatabase

    func run() async throws {
        let settings = try database.settings()
        let time = ReportTimeFormat(timeZone: settings.wallClock.timeZone)
        let admin = ConsoleUser.bootstrapAdmin
        let rows = await [[admin.name, admin.displayName, "admin", "api-token", ""]]
            + (try database.open(settings).users()).map { user in
                [user.name, user.displayName, user.sortedRoles.map(\.rawValue).joined(separator: ", "),
                 time.dateTime(user.createdAt), user.disabledAt.map { "khóa (disabled) \(time.dateTime($0))" } ?? ""]
            }
        print(TextTable.render(
            header: ["Tên (name)", "Họ tên (display name)", "Vai trò (roles)", "Tạo lúc (created)", "Trạng thái (state)"],
            rows: rows))
    }
}

/// `loa user disable`: the user's token is refused from now on.
struct UserDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Khóa người dùng (disable a user: their token stops working at once).")

    @OptionGroup var database: ControllerDatabase
    @Argument(help: "User name")
    var name: String

    func run() async throws {
        let user = try await database.open(try database.settings()).disableUser(named: name, at: Date())
        print("Đã khóa / disabled: \(user.name) (\(user.displayName))")
    }
}

/// A token file: created new (never over another file), readable by its owner
/// only from the start, written once.
struct TokenFile {
    let path: String
    let descriptor: Int32

    static func create(_ path: String) throws -> TokenFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw ValidationError("--token-out \(path): cannot create it (\(String(cString: strerror(errno)))); it must not exist yet")
        }
        return TokenFile(path: path, descriptor: descriptor)
    }

    func write(_ token: String) throws {
        defer { close(descriptor) }
        let bytes = Array((token + "\n").utf8)
        guard bytes.withUnsafeBytes({ systemWrite(descriptor, $0.baseAddress!, $0.count) }) == bytes.count,
            fsync(descriptor) == 0
        else { throw ValidationError("--token-out \(path): cannot write the token (\(String(cString: strerror(errno))))") }
    }

    func discard() {
        close(descriptor)
        unlink(path)
    }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
