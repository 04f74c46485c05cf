import Foundation
import LoaProtocol
import LoaStore
import LoaHarness
import Testing

/// Console passwords: slow salted hashes in a self-describing text, the rules a
/// password must meet, and sessions that end on time, at logout or when the user is disabled.
@Suite("Console passwords and sessions in the store")
struct ConsolePasswordTests {
    let key = SigningKey(name: "loa.xa-thu-nghiem")
    let now = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("a hash reads pbkdf2-sha512$210000$<16-byte salt>$<64-byte hash>, with a fresh salt each time")
    func format() throws {
        let hash = PasswordHash(password: "mật khẩu đủ dài")
        let parts = hash.description.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "pbkdf2-sha512" && parts[1] == "210000")
        #expect(Data(base64Encoded: String(parts[2]))?.count == 16 && Data(base64Encoded: String(parts[3]))?.count == 64)
        #expect(try PasswordHash(text: hash.description) == hash)
        #expect(PasswordHash(password: "mật khẩu đủ dài").salt != hash.salt)
        #expect(hash.matches("mật khẩu đủ dài") && !hash.matches("mật khẩu đủ dàI") && !hash.matches(""))
    }

    @Test("the iteration count is read from the text, so older or stronger hashes still verify")
    func iterations() throws {
        let light = PasswordHash(password: "mot-mat-khau-dai", iterations: 1000)
        let parsed = try PasswordHash(text: light.description)
        #expect(parsed.iterations == 1000 && parsed.matches("mot-mat-khau-dai"))
        for bad in ["", "pbkdf2-sha512$x$AA==$AA==", "$7$101$AA==$AA==", "pbkdf2-sha512$0$AA==$AA==", "sha1$1000$AA==$AA=="] {
            #expect(throws: ConsoleUserError.badPasswordHash) { try PasswordHash(text: bad) }
        }
    }

    @Test("a password under 12 characters or equal to the name is refused, Vietnamese first", arguments: StoreEngine.allCases)
    func policy(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        #expect(PasswordPolicy.problem(with: "ngan-qua", name: "can-bo")?.hasPrefix("Mật khẩu phải có ít nhất 12 ký tự") == true)
        #expect(PasswordPolicy.problem(with: "can-bo-van-hoa", name: "can-bo-van-hoa") != nil)
        #expect(PasswordPolicy.problem(with: "mười hai ký tự", name: "can-bo") == nil)
        await #expect(throws: ConsoleUserError.self) {
            try await store.addUser(name: "can-bo", displayName: "x", roles: [.officer], password: "short", at: now)
        }
        #expect(try await store.users().isEmpty, "nothing is stored for a refused password")
        _ = try await store.addUser(name: "can-bo", displayName: "x", roles: [.officer], at: now)
        await #expect(throws: ConsoleUserError.self) { try await store.setPassword("can-bo", forUser: "can-bo", at: now) }
        await #expect(throws: ConsoleUserError.unknownUser("khong-co")) { try await store.setPassword("mot-mat-khau-dai", forUser: "khong-co", at: now) }
    }

    @Test("the right password finds the user; a wrong one, an unknown name, a token-only or disabled user do not", arguments: StoreEngine.allCases)
    func verify(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        _ = try await store.addUser(name: "can-bo", displayName: "x", roles: [.officer], password: "mot-mat-khau-dai", at: now)
        _ = try await store.addUser(name: "chi-token", displayName: "y", roles: [.auditor], at: now)
        #expect(try await store.user(named: "can-bo", password: "mot-mat-khau-dai")?.name == "can-bo")
        #expect(try await store.user(named: "can-bo", password: "mot-mat-khau-sai") == nil)
        #expect(try await store.user(named: "khong-co", password: "mot-mat-khau-dai") == nil)
        #expect(try await store.user(named: "chi-token", password: "") == nil)
        try await store.disableUser(named: "can-bo", at: now)
        #expect(try await store.user(named: "can-bo", password: "mot-mat-khau-dai") == nil)
        #expect(try await store.auditTrail().map(\.action) == [.userDisabled, .userAdded, .passwordSet, .userAdded])
    }

    @Test("a session ends after 30 idle minutes, after 12 hours however busy, at logout and when its user is disabled", arguments: StoreEngine.allCases)
    func sessions(engine: StoreEngine) async throws {
        let made = try await engine.makeStore(signingKey: key)
        defer { made.remove() }
        let store = made.store
        let (user, _) = try await store.addUser(name: "can-bo", displayName: "x", roles: [.officer], at: now)
        let idle = try await store.startSession(for: user, clientAddress: "10.0.0.2", at: now)
        #expect(try await store.session(id: idle.id, at: now + 29 * 60)?.csrfToken == idle.session.csrfToken)
        #expect(try await store.session(id: idle.id, at: now + 58 * 60) != nil, "each request moves the idle timeout on")
        #expect(try await store.session(id: idle.id, at: now + 89 * 60) == nil)

        let busy = try await store.startSession(for: user, clientAddress: nil, at: now)
        for minute in stride(from: 20, through: 12 * 60 - 1, by: 20) {
            #expect(try await store.session(id: busy.id, at: now + Double(minute) * 60) != nil)
        }
        #expect(try await store.session(id: busy.id, at: now + 12 * 3600) == nil)

        let ended = try await store.startSession(for: user, clientAddress: nil, at: now)
        try await store.endSession(id: ended.id, clientAddress: "10.0.0.2", at: now + 60)
        #expect(try await store.session(id: ended.id, at: now + 61) == nil)

        let disabled = try await store.startSession(for: user, clientAddress: nil, at: now)
        try await store.disableUser(named: "can-bo", at: now + 60)
        #expect(try await store.session(id: disabled.id, at: now + 61) == nil)
        #expect(try await store.session(id: ConsoleToken.generate(), at: now) == nil)
    }
}
