import Foundation
import Testing

import LoaProtocol

/// `UUID.random()`, the id of every signed envelope: a version 4 UUID that parses back
/// from its text, and not the same twice.
struct RandomUUIDTests {
    @Test func versionFourVariantOneAndUnique() throws {
        var seen = Set<UUID>()
        for _ in 0..<10_000 {
            let id = UUID.random()
            let text = id.uuidString.lowercased()
            #expect(Array(text)[14] == "4", "version nibble of \(text)")
            #expect("89ab".contains(Array(text)[19]), "variant of \(text)")
            #expect(UUID(uuidString: text) == id)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test func sealedEnvelopesCarryDistinctIDs() throws {
        let signer = MessageSigner(key: SigningKey(name: "loa.test"))
        let now = Date()
        let ids = try (0..<2).map { _ in
            let sealed = try signer.seal(
                payload: Data("{}".utf8), topic: "loa/x/receipts", version: 1, issuedAt: now, expiresAt: now + 60)
            return try WireCoding.decode(SignedEnvelope.self, from: sealed).id
        }
        #expect(ids[0] != ids[1])
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil })
    }
}
