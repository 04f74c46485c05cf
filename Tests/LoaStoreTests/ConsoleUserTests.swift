import Foundation
import GRDB
import LoaProtocol
@testable import LoaPostgresStore
import LoaStore
import PostgresNIO
import LoaHarness
import Testing

/// Console users: tokens kept only as hashes, found by token, disabled for good.
@Suite("Console users in the store")
struct ConsoleUserTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("a user's token is found by its hash, never stored, and refused once disabled")
    func tokens() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("loa.sqlite").path
        let store = try SQLiteStore(path: path, signingKey: key)
        let (user, token) = try await store.addUser(
            name: "chu-tich", displayName: "Nguyễn Văn A", roles: [.approver, .auditor], at: now)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        #expect(user.sortedRoles == [.approver, .auditor])
        #expect(try await store.user(bearerToken: token) == user)
        #expect(try await store.user(bearerToken: ConsoleToken.generate()) == nil)

        let stored = try DatabaseQueue(path: path).read { db in try Row.fetchOne(db, sql: "SELECT * FROM consoleUser") }
        let row = try #require(stored)
        #expect(row["tokenSha256"] as String == ConsoleToken.hash(token))
        #expect(!row.databaseValues.contains { $0.description.contains(token) })

        let disabled = try await store.disableUser(named: "chu-tich", at: now + 60)
        #expect(disabled.disabledAt == now + 60 && !disabled.isActive)
        #expect(try await store.disableUser(named: "chu-tich", at: now + 120).disabledAt == now + 60)
        #expect(try await store.user(bearerToken: token)?.isActive == false)
        #expect(try await store.users().map(\.name) == ["chu-tich"])
    }

    @Test("on PostgreSQL too, a user's token is found by its hash and never stored")
    func tokensOnPostgres() async throws {
        let made = try await StoreEngine.postgres.makeStore(signingKey: key)
        let store = try #require(made.store as? PostgresStore)
        let (user, token) = try await store.addUser(name: "chu-tich", displayName: "Nguyễn Văn A", roles: [.approver], at: now)
        #expect(try await store.user(bearerToken: token) == user)
        let rows = try await store.client.rows("SELECT u::text AS row FROM console_user u", store.logger)
            .map { try $0.value("row", as: String.self) }
        #expect(rows.count == 1 && rows[0].contains(ConsoleToken.hash(token)) && !rows[0].contains(token))
    }

    @Test("names must be ids, not 'admin', not taken, and a user needs a role", arguments: StoreEngine.allCases)
    func refusals(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        await #expect(throws: ConsoleUserError.self) { try await store.addUser(name: "Cán bộ", displayName: "x", roles: [.officer], at: now) }
        await #expect(throws: ConsoleUserError.reservedName("admin")) {
            try await store.addUser(name: "admin", displayName: "x", roles: [.admin], at: now)
        }
        await #expect(throws: ConsoleUserError.noRole("can-bo")) { try await store.addUser(name: "can-bo", displayName: "x", roles: [], at: now) }
        _ = try await store.addUser(name: "can-bo", displayName: "x", roles: [.officer], at: now)
        await #expect(throws: ConsoleUserError.duplicateName("can-bo")) {
            try await store.addUser(name: "can-bo", displayName: "y", roles: [.officer], at: now)
        }
        await #expect(throws: ConsoleUserError.unknownUser("khong-co")) { try await store.disableUser(named: "khong-co", at: now) }
    }
}
