import Foundation
import LoaProtocol
import Testing

@Suite("Media tokens and digests as receivers built from docs/protocol.md compute them")
struct MediaTokenTests {
    /// The secret 00 01 … 1f; tokens computed independently (Python's hmac and base64.urlsafe_b64encode).
    let secret = Data(0..<32)

    @Test("a device's token is base64url(HMAC-SHA256(secret, \"loa-media/v1\\n\" + device)) without padding")
    func tokenMatchesAnIndependentComputation() {
        // Both hold characters base64 writes as '+' or '/', and end in '=' padding there.
        #expect(MediaToken.make(secret: secret, device: "thon-a-01") == "IdVA-6HkT8SLlU6_Z3AwqDWDaxHasaFjav0nRlxVrHc")
        #expect(MediaToken.make(secret: secret, device: "loa-xa-binh-giang-thon-3") == "9bv98avEeKXIZ0ngT8f5BqUGQyTOTPfuTH-5SckYz5E")
    }

    @Test("the controller names the device of a right token and of nothing else")
    func authorization() {
        let right = "Bearer thon-a-01:IdVA-6HkT8SLlU6_Z3AwqDWDaxHasaFjav0nRlxVrHc"
        #expect(MediaToken.device(authorization: right, secret: secret) == "thon-a-01")
        // Another device's name with this token, base64 with padding, a changed last character, no scheme.
        #expect(MediaToken.device(authorization: "Bearer thon-a-02:IdVA-6HkT8SLlU6_Z3AwqDWDaxHasaFjav0nRlxVrHc", secret: secret) == nil)
        #expect(MediaToken.device(authorization: "Bearer thon-a-01:IdVA+6HkT8SLlU6/Z3AwqDWDaxHasaFjav0nRlxVrHc=", secret: secret) == nil)
        #expect(MediaToken.device(authorization: "Bearer thon-a-01:IdVA-6HkT8SLlU6_Z3AwqDWDaxHasaFjav0nRlxVrHd", secret: secret) == nil)
        #expect(MediaToken.device(authorization: "thon-a-01:IdVA-6HkT8SLlU6_Z3AwqDWDaxHasaFjav0nRlxVrHc", secret: secret) == nil)
        #expect(MediaToken.device(authorization: "Bearer thon-a-01", secret: secret) == nil)
    }

    @Test("media is addressed by the lowercase hex SHA-256 of its bytes")
    func digest() {
        #expect(MediaDigest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(MediaDigest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
