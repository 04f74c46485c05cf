import ArgumentParser
import Foundation
import LoaController
import LoaPostgresStore
import LoaStore

/// `loa province`: the province's emergencies to many communes, on the shared
/// PostgreSQL database (docs/province.md): province accounts, a proposal by a
/// province officer, two approvals by different province approvers; each
/// addressed commune's controller then takes it up within about 5 s.
struct ProvinceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "province", abstract: "Tỉnh gửi tin khẩn cấp tới nhiều xã (the province's emergencies to many communes).",
        subcommands: [ProvinceUserAddCommand.self, ProvinceProposeCommand.self, ProvinceApproveCommand.self,
                      ProvinceStatusCommand.self, ProvinceCancelCommand.self])
}

/// The province's database, named by a controller settings file on it.
struct ProvinceDatabase: ParsableArguments {
    @Option(name: .shortAndLong, help: "A controller settings file whose store is the province's PostgreSQL")
    var config: String

    /// Runs `body` on the province's desk, closed afterwards.
    func with<T>(_ body: (PostgresProvince) async throws -> T) async throws -> T {
        guard let connection = try ControllerConfiguration.load(from: config).postgresConnection() else {
            throw ValidationError("\(config): its store is not PostgreSQL; the province's desk lives in the shared PostgreSQL database")
        }
        let province = try await PostgresProvince(connection: connection)
        defer { province.close() }
        return try await body(province)
    }
}

/// Who acts: a province account and its password file.
struct ProvinceActor: ParsableArguments {
    @Option(name: .customLong("as"), help: "Your province account")
    var name: String
    @Option(help: "A file holding your password (the first line is read)")
    var passwordFile: String

    func signIn(_ province: PostgresProvince) async throws -> ProvinceUser {
        guard let user = try await province.provinceUser(named: name, password: try PasswordFile.read(passwordFile)) else {
            throw ValidationError("Sai tên hoặc mật khẩu (wrong name or password): \(name)")
        }
        return user
    }
}

struct ProvinceUserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-user",
        abstract: "Thêm tài khoản của tỉnh (add a province account: officer proposes, approver approves, admin manages accounts on the web).")

    @OptionGroup var database: ProvinceDatabase
    @Argument(help: "Account name: lowercase letters, digits and '-'") var name: String
    @Option(help: "Role; repeat for several: officer, approver, admin") var role: [String]
    @Option(help: "The person's name and office as written") var displayName: String
    @Option(help: "A file holding the password (at least 12 characters)") var passwordFile: String

    func run() async throws {
        let roles = Set(role.compactMap(ProvinceUser.Role.init(rawValue:)))
        guard roles.count == role.count, !roles.isEmpty else { throw ValidationError("--role: officer, approver or admin") }
        try await database.with { province in
            try await province.addProvinceUser(
                ProvinceUser(name: name, displayName: displayName, roles: roles), password: try PasswordFile.read(passwordFile), at: Date())
            print("Đã thêm \(name) (\(roles.sorted().map(\.rawValue).joined(separator: ", "))) / added")
        }
    }
}

struct ProvinceProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Soạn tin khẩn cấp cho nhiều xã (propose an emergency to communes; two approvers must approve).")

    @OptionGroup var database: ProvinceDatabase
    @OptionGroup var actor: ProvinceActor
    @Option(help: "Commune ids, comma-separated (e.g. xa-binh-giang,xa-an-phu)") var communes: String
    @Option(help: "Title") var title: String
    @Option(help: "The text read aloud") var text: String
    @Option(help: "Minutes from now it airs (1–720)") var inMinutes: Int = 10

    func run() async throws {
        guard (1...720).contains(inMinutes) else { throw ValidationError("--in-minutes: 1 to 720") }
        try await database.with { province in
            let user = try await actor.signIn(province)
            let now = Date()
            let id = ProvinceEmergency.newID(at: now)
            let emergency = ProvinceEmergency(
                id: id, title: title, text: text,
                communes: communes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                startAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(inMinutes * 60)).rounded()), proposedBy: user.name,
                proposedAt: now)
            try await province.propose(emergency, by: user)
            print("\(id)\nĐã soạn; cần hai người duyệt khác nhau: loa province approve \(id) (proposed; two different approvers must approve)")
        }
    }
}

struct ProvinceApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Duyệt tin khẩn cấp của tỉnh (approve a province emergency; the second approval sends it).")

    @OptionGroup var database: ProvinceDatabase
    @OptionGroup var actor: ProvinceActor
    @Argument(help: "The emergency's id") var id: String

    func run() async throws {
        try await database.with { province in
            let emergency = try await province.approveEmergency(id: id, by: try await actor.signIn(province), at: Date())
            print(emergency.isApproved
                ? "Đủ hai người duyệt: các xã nhận trong khoảng 5 giây (approved by two: the communes take it up within about 5 s)"
                : "\(emergency.approvals.count)/\(ProvinceEmergency.requiredApprovers) lượt duyệt (approvals)")
        }
    }
}

struct ProvinceStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Tin khẩn cấp của tỉnh đã tới những xã nào (where a province emergency stands).")

    @OptionGroup var database: ProvinceDatabase
    @Argument(help: "The emergency's id") var id: String

    func run() async throws {
        try await database.with { province in
            guard let emergency = try await province.provinceEmergency(id: id) else { throw ProvinceEmergencyError.unknownEmergency(id) }
            let taken = try await province.takeUps(of: id)
            print("\(emergency.title) · \(emergency.startAt) · \(emergency.cancelledAt == nil ? "" : "ĐÃ HỦY (cancelled) · ")"
                + "soạn (proposed by) \(emergency.proposedBy) · duyệt (approved by) \(emergency.approvals.map(\.approver).joined(separator: ", "))")
            for commune in emergency.communes {
                print("  \(commune): " + (taken[commune].map {
                    "đã nhận, lịch phiên bản \($0.version) (taken up, schedule version \($0.version)) · "
                        + "\($0.receiversReady) loa sẵn sàng, \($0.receiversStarted) đã phát, \($0.receiversFinished) phát xong "
                        + "(\($0.receiversReady) receivers ready, \($0.receiversStarted) started, \($0.receiversFinished) finished)"
                } ?? "chưa nhận (not yet)"))
            }
        }
    }
}

struct ProvinceCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Hủy tin khẩn cấp của tỉnh ở mọi xã (withdraw a province emergency everywhere).")

    @OptionGroup var database: ProvinceDatabase
    @OptionGroup var actor: ProvinceActor
    @Argument(help: "The emergency's id") var id: String

    func run() async throws {
        try await database.with { province in
            try await province.cancelEmergency(id: id, by: try await actor.signIn(province), at: Date())
            print("Đã hủy: trong khoảng 5 giây các xã gỡ tin khỏi lịch, loa đang phát sẽ dừng (withdrawn: within about 5 s the communes take it out, loudspeakers playing it stop)")
        }
    }
}
