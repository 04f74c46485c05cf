import Foundation
import LoaProtocol
import Testing

@Suite("Controller keys in the C2SP signed-note form")
struct SigningKeyTests {
    @Test("the signed-note spec's example verifier key parses, so our key ids match other implementations")
    func specExample() throws {
        let key = try VerifierKey(text: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        #expect(key.name == "PeterNeumann")
        #expect(key.keyID.map { String(format: "%02x", $0) }.joined() == "c74f20a3")
        #expect(throws: SigningKeyError.self) {
            try VerifierKey(text: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("a new key signs, its verifier accepts, and a tampered message is refused; the key file is private")
    func signAndVerify() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("controller.key")
        let key = try SigningKey.loadOrCreate(name: "loa.xa-ha-binh", at: file)
        let again = try SigningKey.loadOrCreate(name: "loa.xa-ha-binh", at: file)
        #expect(key.verifier == again.verifier)
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let message = Data("thông báo".utf8)
        let signature = try key.signature(for: message)
        #expect(key.verifier.isValidSignature(signature, for: message))
        #expect(!key.verifier.isValidSignature(signature, for: Data("thông báo!".utf8)))
        #expect(try VerifierKey(text: key.verifier.text) == key.verifier)
        // As a file holds it: spaces, a tab and a line break around the key are not part of it.
        #expect(try VerifierKey(text: " \t" + key.verifier.text + "\r\n") == key.verifier)
        #expect(throws: SigningKeyError.self) { try VerifierKey(text: key.verifier.text + "+") }
    }
}
