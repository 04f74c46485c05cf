import Foundation
import LoaProtocol
import Testing

/// The messages written by hand because they are written so often (a signed envelope
/// for every downward message, a receipt for every device and batch) are the bytes
/// Foundation's encoder (`WireCoding`) writes, for any text they carry.
@Suite("Envelopes and receipts written by hand, as the encoder writes them")
struct HandWrittenJSONTests {
    /// Texts with what JSON escapes (quotes, backslashes, every control character), slashes, Vietnamese and emoji.
    static let texts: [String] = [
        "", "thôn Đông", #"{"format":1,"title":"Thông báo \"khẩn\" / bão số 9"}"#, "a\\b", "dòng 1\ndòng 2\r\n\ttab",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "loa/v1/xa-ha-binh/device/loa-thon-a-1/receipts", "🌀 Bão",
    ]

    @Test("a signed envelope's JSON is the encoder's, byte for byte, and reads back the same")
    func envelopeAsEncoded() throws {
        for text in Self.texts {
            for signed in [false, true] {
                let envelope = SignedEnvelope(
                    topic: "loa/v1/xa/zone/\(text)", id: text, version: 1_795_000_000_123, issuedAt: "2026-12-08T00:00:00.000Z",
                    expiresAt: text, keyID: signed ? "c74f20a3" : nil, signature: signed ? "c2ln/bmF+dHVyZQ==" : nil, body: text)
                #expect(envelope.json == (try WireCoding.encode(envelope)), "\(text.debugDescription)")
                #expect(try WireCoding.decode(SignedEnvelope.self, from: envelope.json) == envelope)
            }
        }
    }

    @Test("a receipt's JSON is the encoder's, byte for byte, for no event, one and many")
    func receiptAsEncoded() throws {
        for events in [[], ["0b6c2c52-1f0e-4a8e-9c1d-2b7f8e3a5d10"], Self.texts] {
            let receipt = EventReceipt(events: events)
            #expect(receipt.json == (try WireCoding.encode(receipt)))
            #expect(try WireCoding.decode(EventReceipt.self, from: receipt.json) == receipt)
        }
    }
}
