import Foundation
import LoaDomain
import Testing

/// A message's Vietnamese is kept in NFC, as the console and the board show it.
@Suite("Messages for commune users")
struct LocalizedTextTests {
    /// Vietnamese with a tone mark over a vowel with its own mark: the letters where NFC
    /// and NFD differ most.
    let decomposed = "Thông báo khẩn: bão số 9 đổ bộ, người dân ở nhà".decomposedStringWithCanonicalMapping

    @Test("Vietnamese typed decomposed is stored composed, as Foundation composes it")
    func composed() {
        #expect(decomposed.unicodeScalars.count > decomposed.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        let text = LocalizedText(vi: decomposed, en: "Emergency notice")
        #expect(Array(text.vi.unicodeScalars) == Array(decomposed.precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(Array(text.vi.utf8) == Array("Thông báo khẩn: bão số 9 đổ bộ, người dân ở nhà".precomposedStringWithCanonicalMapping.utf8))
        #expect(text.description == "\(text.vi) (Emergency notice)")
    }

    @Test("every Vietnamese letter with every tone, composed as Foundation composes it")
    func everyLetter() {
        let vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "A", "Ă", "Â", "E", "Ê", "I", "O", "Ô", "Ơ", "U", "Ư", "Y"]
        let tones = ["", "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"]
        let all = vowels.flatMap { vowel in tones.map { (vowel + $0).decomposedStringWithCanonicalMapping } }.joined(separator: " ") + " đ Đ"
        #expect(Array(LocalizedText(vi: all, en: "").vi.unicodeScalars) == Array(all.precomposedStringWithCanonicalMapping.unicodeScalars))
    }
}
