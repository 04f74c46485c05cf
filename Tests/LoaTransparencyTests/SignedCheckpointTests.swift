import Foundation
import LoaProtocol
import LoaTransparency
import Testing

@Suite("Checkpoints as C2SP signed notes")
struct SignedCheckpointTests {
    /// The example of golang.org/x/mod/sumdb/note's package documentation
    /// (and of the C2SP signed-note spec): key, text and the exact signed note.
    static let goSeed = Data(base64Encoded: "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")!.dropFirst()
    static let goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let goNote = goText + "\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    let key = SigningKey(name: "loa.xa-ha-binh")
    var checkpoint: Checkpoint {
        Checkpoint(origin: "loa.xa-ha-binh", size: 8, rootHash: MerkleTreeVectorTests.roots[7])
    }

    @Test("signing Go's example text with Go's example key gives Go's exact note, and it opens")
    func goCompatibility() throws {
        let peter = try SigningKey(name: "PeterNeumann", rawPrivateKey: Data(Self.goSeed))
        #expect(peter.verifier.text == "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        #expect(try SignedNote.sign(body: Self.goText, with: [peter]).text == Self.goNote)
        let note = try SignedNote(parsing: Self.goNote)
        #expect(note.body == Self.goText)
        #expect(try note.verify(with: [peter.verifier]) == [peter.verifier])
        let altered = Self.goNote.replacingOccurrences(of: "cryptography", with: "cryptographY")
        #expect(throws: SignedNoteError.badSignature(name: "PeterNeumann")) {
            try SignedNote(parsing: altered).verify(with: [peter.verifier])
        }
    }

    @Test("the worked example of docs/transparency.md: the vectors' tree signed by the example key")
    func workedExample() throws {
        // Seed = SHA-256("loa transparency example key"), computed with Python's hashlib.
        let key = try SigningKey(name: "example.loa", rawPrivateKey: hex("76b61a575860dc672815a17912e0df75f905aa9f6c148c7a9147f650a8fe78cf"))
        #expect(key.verifier.text == "example.loa+04f4593f+AfFUYNywL/4ZD5QXqPmguBSNKwhC66ROgpSDcJ15Z6dS")
        var log = TransparencyLog()
        for leaf in MerkleTreeVectorTests.leaves { _ = log.append(leaf) }
        let note = try log.checkpoint(origin: "example.loa").signed(with: key)
        #expect(note == """
            example.loa
            8
            XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=

            \u{2014} example.loa BPRZP50Za9Pg8uJ5qmJeSqeldjidlOkAvRwuOEDYGKiCjUsDtWsaJLlELBL6Oet66RRueZ3XXHbj+z479en5PC9yqAA=

            """)
        let proof = try log.inclusionProof(index: 5, size: 8)
        #expect(proof.hashes.map { $0.base64EncodedString() } == [
            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(try log.consistencyProof(from: 6, to: 8)), as: UTF8.self)
        #expect(json == #"{"hashes":["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=","yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=","037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="],"newRoot":"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=","newSize":8,"oldRoot":"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=","oldSize":6}"#)
        #expect(try JSONDecoder().decode(ConsistencyProof.self, from: Data(json.utf8)).isValid)
    }

    @Test("a checkpoint's text is origin, decimal size, base64 root, each on its own line")
    func checkpointText() throws {
        #expect(checkpoint.text == "loa.xa-ha-binh\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let extended = Checkpoint(origin: "o", size: 0, rootHash: LogHash.emptyRoot, extensions: ["x 1", "y"])
        #expect(try Checkpoint(text: extended.text) == extended)
    }

    @Test("a signed checkpoint opens with its key and is refused with any other")
    func signAndOpen() throws {
        let note = try checkpoint.signed(with: key)
        #expect(note.hasPrefix(checkpoint.text + "\n\u{2014} loa.xa-ha-binh "))
        #expect(try Checkpoint.open(note, keys: [key.verifier], origin: "loa.xa-ha-binh") == checkpoint)

        // Another key with another name: unknown.
        let stranger = SigningKey(name: "loa.other")
        #expect(throws: CheckpointError.note(.unknownKey(names: ["loa.other"]))) {
            try Checkpoint.open(try checkpoint.signed(with: stranger), keys: [key.verifier])
        }
        // Another key under the same name: wrong key id.
        let impostor = SigningKey(name: "loa.xa-ha-binh")
        let impostorNote = try checkpoint.signed(with: impostor)
        do throws(CheckpointError) {
            _ = try Checkpoint.open(impostorNote, keys: [key.verifier])
            Issue.record("a checkpoint signed by another key was accepted")
        } catch {
            guard case .note(.wrongKeyID(let name, let found, let expected)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(name == "loa.xa-ha-binh")
            #expect(found == hexString(impostor.verifier.keyID))
            #expect(expected == hexString(key.verifier.keyID))
        }
        // Another key forging the known key id: the signature does not verify.
        let forgedLine = SignedNote.Signature(name: key.name, keyID: key.verifier.keyID,
                                              signature: try impostor.signature(for: Data(checkpoint.text.utf8)))
        let forged = SignedNote(body: checkpoint.text, signatures: [forgedLine]).text
        #expect(throws: CheckpointError.note(.badSignature(name: "loa.xa-ha-binh"))) {
            try Checkpoint.open(forged, keys: [key.verifier])
        }
    }

    @Test("an altered checkpoint is refused: size, root or origin changed")
    func alteredBody() throws {
        let note = try checkpoint.signed(with: key)
        for altered in [note.replacingOccurrences(of: "\n8\n", with: "\n9\n"),
                        note.replacingOccurrences(of: "Xcna", with: "Ycna"),
                        note.replacingOccurrences(of: "loa.xa-ha-binh\n8", with: "loa.xa-ha-binI\n8")] {
            #expect(throws: CheckpointError.note(.badSignature(name: "loa.xa-ha-binh"))) {
                try Checkpoint.open(altered, keys: [key.verifier])
            }
        }
        #expect(throws: CheckpointError.originMismatch(expected: "loa.other", found: "loa.xa-ha-binh")) {
            try Checkpoint.open(note, keys: [key.verifier], origin: "loa.other")
        }
    }

    @Test("malformed notes are refused naming what is wrong")
    func malformedNotes() throws {
        let note = try checkpoint.signed(with: key)
        let signatureLine = String(note.split(separator: "\n").last!)
        let cases: [(String, SignedNoteError)] = [
            (String(note.dropLast()), .notEndingInNewline),
            (checkpoint.text, .noSignatureBlock),
            (checkpoint.text + "\n", .noSignatures),
            (note.replacingOccurrences(of: "\u{2014}", with: "-"), .malformedSignatureLine(number: 1, signatureLine.replacingOccurrences(of: "\u{2014}", with: "-"))),
            (note.replacingOccurrences(of: "\n8\n", with: "\n8\r\n"), .controlCharacter(code: 0x0D)),
            (checkpoint.text + "\n\u{2014} loa.xa-ha-binh AAAA\n", .malformedSignatureLine(number: 1, "\u{2014} loa.xa-ha-binh AAAA")),
            (checkpoint.text + "\n\u{2014} loa xa AAAAAAA=\n", .malformedSignatureLine(number: 1, "\u{2014} loa xa AAAAAAA=")),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text.debugDescription)") { try SignedNote(parsing: text) }
        }
        #expect(throws: SignedNoteError.bodyNotEndingInNewline) { try SignedNote.sign(body: "no newline", with: [key]) }
    }

    @Test("malformed checkpoint bodies are refused naming the line")
    func malformedCheckpoints() {
        let root = checkpoint.rootHash.base64EncodedString()
        let cases: [(String, Int)] = [
            ("o\n8\n\(root)", 0),
            ("o\n8\n", 3),
            ("\n8\n\(root)\n", 1),
            ("o\n08\n\(root)\n", 2),
            ("o\n-1\n\(root)\n", 2),
            ("o\n18446744073709551616\n\(root)\n", 2),
            ("o\n8\n\(root.dropLast())\n", 3),
            ("o\n8\nAAAA\n", 3),
            ("o\n8\n\(root)\n\n", 4),
        ]
        for (text, line) in cases {
            do throws(CheckpointError) {
                _ = try Checkpoint(text: text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                guard case .malformed(let found, _) = error else { Issue.record("\(error)"); continue }
                #expect(found == line, "\(text.debugDescription): \(error)")
            }
        }
    }

    @Test("a note signed by an unknown key and by the known key opens; a bad known signature does not")
    func severalSignatures() throws {
        let other = SigningKey(name: "witness.example")
        let both = try SignedNote.sign(body: checkpoint.text, with: [other, key])
        #expect(try SignedNote(parsing: both.text).verify(with: [key.verifier]) == [key.verifier])
        #expect(try SignedNote(parsing: both.text).verify(with: [key.verifier, other.verifier]) == [other.verifier, key.verifier])
        var tampered = both
        tampered.signatures[1].signature = flipping(tampered.signatures[1].signature, byte: 10)
        #expect(throws: SignedNoteError.badSignature(name: "loa.xa-ha-binh")) {
            try SignedNote(parsing: tampered.text).verify(with: [key.verifier])
        }
    }
}
