import Foundation
import LoaProvisioning
import LoaHarness
import Testing

@Suite("Mosquitto password file in the format of mosquitto_passwd")
struct MosquittoPasswordFileTests {
    @Test("PBKDF2-HMAC-SHA512 matches the published test vector")
    func pbkdf2Vector() throws {
        let hash = MosquittoPasswordHash(password: "password", iterations: 1, salt: Data("salt".utf8))
        #expect(hash.hash.map { String(format: "%02x", $0) }.joined() == "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce")
        let long = MosquittoPasswordHash(
            password: "passwordPASSWORDpassword", iterations: 4096, salt: Data("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8))
        #expect(long.hash.map { String(format: "%02x", $0) }.joined() == "8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71115b59f9e60cd9532fa33e0f75aefe30225c583a186cd82bd4daea9724a3d3b8")
    }

    @Test("a hash looks like mosquitto_passwd's: $7$101$<12-byte salt>$<64-byte hash>, fresh salt each time")
    func format() throws {
        let hash = MosquittoPasswordHash(password: "mật khẩu")
        let parts = hash.description.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5 && parts[0].isEmpty && parts[1] == "7" && parts[2] == "101")
        #expect(Data(base64Encoded: String(parts[3]))?.count == 12)
        #expect(Data(base64Encoded: String(parts[4]))?.count == 64)
        #expect(try MosquittoPasswordHash(text: hash.description) == hash)
        #expect(hash.matches("mật khẩu"))
        #expect(!hash.matches("mat khau"))
        #expect(MosquittoPasswordHash(password: "mật khẩu") != hash)
    }

    @Test("a file written by the real mosquitto_passwd parses, and verifies the right password only")
    func readsMosquittoPasswd() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-passwd")
        defer { directory.remove() }
        let file = directory.path("passwd")
        for (index, (user, password)) in [("loa-thon-dong-1", "Zx9-q_secret"), ("loa-controller", "khác")].enumerated() {
            let arguments = (index == 0 ? ["-c"] : []) + ["-b", file.path, user, password]
            #expect(try await ChildProcess.run("/usr/bin/mosquitto_passwd", arguments) == 0)
        }
        let parsed = try MosquittoPasswordFile(contentsOf: file)
        #expect(parsed.entries.map(\.username) == ["loa-thon-dong-1", "loa-controller"])
        #expect(parsed.entries.allSatisfy { $0.hash.scheme == 7 && $0.hash.iterations == 101 && $0.hash.salt.count == 12 })
        #expect(parsed.verify(username: "loa-thon-dong-1", password: "Zx9-q_secret"))
        #expect(parsed.verify(username: "loa-controller", password: "khác"))
        #expect(!parsed.verify(username: "loa-thon-dong-1", password: "khác"))
        #expect(!parsed.verify(username: "nobody", password: "Zx9-q_secret"))
        #expect(try String(contentsOf: file, encoding: .utf8) == parsed.render())
    }

    @Test("entries are added, replaced and removed; bad lines and usernames are refused")
    func editing() throws {
        var file = MosquittoPasswordFile()
        try file.set(username: "a", password: "1")
        try file.set(username: "b", password: "2")
        try file.set(username: "a", password: "3")
        #expect(file.entries.map(\.username) == ["a", "b"])
        #expect(file.verify(username: "a", password: "3") && !file.verify(username: "a", password: "1"))
        let removed = file.remove(username: "b")
        let removedAgain = file.remove(username: "b")
        #expect(removed && !removedAgain)
        let again = try MosquittoPasswordFile(text: "# comment\n\n" + file.render())
        #expect(again == file)
        #expect(throws: ProvisioningError.badUsername("x:y")) { try file.set(username: "x:y", password: "p") }
        #expect(throws: ProvisioningError.badPasswordLine(2)) { try MosquittoPasswordFile(text: "a:$7$101$AAAA$BBBB\nb:plain\n") }
    }

    @Test("generated passwords: 192 random bits as 32 URL-safe characters, never repeated")
    func passwords() {
        let passwords = (0..<200).map { _ in BrokerPassword.generate() }
        #expect(Set(passwords).count == passwords.count)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(passwords.allSatisfy { $0.count == 32 && $0.allSatisfy(allowed.contains) })
    }
}
